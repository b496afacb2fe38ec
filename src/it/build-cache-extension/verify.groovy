/*
 * Three builds under the Maven Build Cache Extension: the first runs the gate; the second, at another
 * capacity, finds the gate's parameter changed (reconcile) and runs it again; the third is restored
 * from the extension's cache, skips the gate, and still holds the second's reports (attachedOutputs).
 */
import groovy.json.JsonSlurper

List<String> all = new File(basedir, 'build.log').readLines('UTF-8')
List<Integer> starts = all.findIndexValues { it.endsWith('[INFO] Loading cache configuration from ' + new File(basedir, '.mvn/maven-build-cache-config.xml').absolutePath) }*.intValue()
assert starts.size() == 3: "expected three builds in build.log, found ${starts.size()}"
List<List<String>> builds = (0..2).collect { i -> all.subList(starts[i], i < 2 ? starts[i + 1] : all.size()) }
def passed = { int capacity -> ~/\[INFO\] GATE PASSED: 8 of 8 cases pass at transactionCapacity ${capacity} with strategy 'chunked' \([\d.]+ s\)\./ }

assert builds[0].any { it ==~ passed(7) }
assert builds[0].contains('[INFO] BUILD SUCCESS')

assert builds[1].contains('[INFO] Plugin parameter mismatch found. Parameter: transactionCapacity, expected: 7, actual: 8'): builds[1]
assert builds[1].any { it ==~ passed(8) }
assert builds[1].contains('[INFO] BUILD SUCCESS')

assert builds[2].contains('[INFO] Skipping plugin execution (cached): kms:regression'): builds[2]
assert !builds[2].any { it.contains('GATE PASSED') }: 'the restored build ran the gate'
assert builds[2].contains('[INFO] BUILD SUCCESS')

// the third build's reports, restored by the extension from the second: every suite, the summary and the page
File reports = new File(basedir, 'target/kms-reports')
['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty', 'self-proof'].each { name ->
    assert new File(reports, "TEST-kms.regression.${name}.xml").isFile(): "the restored build lacks the suite of ${name}"
}
def json = new JsonSlurper().parse(new File(reports, 'kms-regression.json'))
assert json.passed == true
assert json.transactionCapacity == 8
assert new File(reports, 'index.html').isFile()
