/*
 * Three builds of one project, one log: the first runs the gate and stores its verdict; the second
 * (nothing changed, after mvn clean) reuses it: the same table marked as reused, no case run, and the
 * same reports written; the third (the converter's class changed) says so in one line, runs the
 * gate again, and fails on the defect the change brought in.
 */
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

List<String> all = new File(basedir, 'build.log').readLines('UTF-8')
List<Integer> starts = all.findIndexValues { it.endsWith('[INFO] Scanning for projects...') }*.intValue() // a colour code may lead the first line
assert starts.size() == 3: "expected three builds in build.log, found ${starts.size()}"
List<List<String>> builds = (0..2).collect { i -> all.subList(starts[i], i < 2 ? starts[i + 1] : all.size()) }
String converter = 'com.example.kms.Upgrade'
def verdict = ~/\[INFO\] GATE PASSED: 8 of 8 cases and (\d+) of \1 resume trials pass at transactionCapacity 37 with converter com\.example\.kms\.Upgrade \([\d.]+ s\)\./

// 1: nothing stored yet, the gate runs and passes
List<String> first = builds[0]
assert first.contains('[INFO] No proven verdict is stored for this project yet: the gate runs.')
assert first.any { it.startsWith('[INFO] case C+1: PASS (38 revocations, ') }
assert first.any { it ==~ verdict }: first.findAll { it.contains('GATE') }
assert first.contains('[INFO] BUILD SUCCESS')

// 2: the same key: reused, with the table of the first build, and no case run
List<String> second = builds[1]
def reused = second.find { it.startsWith('[INFO] verdict reused: nothing it depends on changed since the run of ') }
assert reused != null: second
def key = (reused =~ /that proved it \(key ([0-9a-f]{64})\)\.$/)
assert key.find(): reused
assert !second.any { it.startsWith('[INFO] case C+1: PASS') }: 'the second build ran a case'
int header = first.findIndexOf { it.startsWith('[INFO] case          users') }
int end = first.findIndexOf { it.startsWith('[INFO] GATE PASSED: ') }
int reusedAt = second.indexOf(reused)
assert second.subList(reusedAt + 1, reusedAt + 2 + end - header) == first.subList(header, end + 1)
assert second.contains('[INFO] BUILD SUCCESS')

// the second build's reports: every case's JUnit XML, the JSON summary (marked reused) and the page
File reports = new File(basedir, 'target/kms-reports')
['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty', 'self-proof', 'resume-trials'].each { name ->
    File xml = new File(reports, "TEST-kms.regression.${name}.xml")
    assert xml.isFile(): "missing ${xml}"
    def suite = new XmlSlurper().parse(xml)
    assert suite.@failures.text() == '0': "${xml.name} has failures"
}
def json = new JsonSlurper().parse(new File(reports, 'kms-regression.json'))
assert json.passed == true
assert json.reused.key == key.group(1)
assert json.converter == converter
assert new File(reports, 'index.html').text.contains("<dt>reused</dt><dd>nothing the verdict depends on changed since (key ${key.group(1)})</dd>")

// 3: the converter's class changed: the gate runs again and fails on the defect
List<String> third = builds[2]
assert third.contains('[INFO] The gate runs, because the converter\'s classes changed: com/example/kms/Upgrade.class.'): third.findAll { it.contains('gate runs') }
assert !third.any { it.startsWith('[INFO] verdict reused') }
assert third.contains('[INFO] BUILD FAILURE')
assert third.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.contains(":regression (gate) on project regression-reuses-verdict: The KMS gate failed at transactionCapacity 37 with converter ${converter}: 4 of 8 cases fall short, ".toString()) }
