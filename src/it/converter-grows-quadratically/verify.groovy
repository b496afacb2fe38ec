/*
 * A team's converter that is correct, chunked and resumable, but looks each certificate's revocation
 * up with a query that cannot use the CRL's index (TeamConverter$QuadraticLookup), at capacity 37:
 * every case converts right within the capacity, and the build FAILS on the scaling proof alone,
 * naming the growth and what a production database would take. The JUnit XML says so in the test
 * case "work grows linearly with the data", and the JSON summary in its scalingProof object.
 */
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }
// the lines of the failure message, as Maven prints them (3.x prefixes each with [ERROR], others may not)
List<String> message = lines.collect { it.startsWith('[ERROR] ') ? it.substring(8) : it }
String converter = 'dev.kmsgate.kms.spi.TeamConverter$QuadraticLookup'

line("[INFO] KMS Gate regression: converter ${converter}, transactionCapacity 37, 10 cases (2 of them the scaling proof's) and 0 resume trials on 2 threads.".toString())
['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty', 'scale-1x', 'scale-8x'].each { name ->
    assert lines.find { it.startsWith("[INFO] ${name} ") }?.endsWith(' PASS'): name
}
def growth = ~/scaling proof: 8\.0x the rows took \d+x the work: about n\^1\.\d\d, beyond n\^1\.5 \(cases scale-1x and scale-8x, 2,549 and 20,387 rows: \d+\.\d{3} s and \d+\.\d{3} s of the converter's CPU above a fixed \d+\.\d{3} s\)\. At that growth a database of 1,000,000 certificates would take about \d+(\.\d)? (min|h|days|years) of conversion work, where linear work would take \d+ min\.( The work that grew fastest wrote KMS55\.CERTIFICATES: \d+\.\dx its rows took \d+(\.\d)?x the work \(about n\^\d\.\d\d\)\.)?/
assert lines.any { it.startsWith('[WARNING] ') && it.substring(10) ==~ growth }: 'no warning line of the growth'
// (the converter's name holds a '$', which a slashy regex would read as a variable)
assert lines.any { it.startsWith("[WARNING] GATE FAILED: 10 of 10 cases pass at transactionCapacity 37 with converter ${converter} (") && it ==~ /.* \([\d.]+ s\)\./ }
assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.endsWith(":regression (gate) on project converter-grows-quadratically: The KMS gate failed at transactionCapacity 37 with converter ${converter}: its work grows faster than its data.") }
assert message.any { it.startsWith('  - ') && it.substring(4) ==~ growth }: 'the failure message lacks the growth'
line('[INFO] BUILD FAILURE')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }

File reports = new File(basedir, 'target/kms-reports')
def suite = new XmlSlurper().parse(new File(reports, 'TEST-kms.regression.scaling-proof.xml'))
assert suite.@failures.text() == '1'
assert suite.testcase.@name.text() == 'work grows linearly with the data'
assert suite.testcase.failure.@message.text() ==~ growth
['scale-1x', 'scale-8x'].each { name ->
    assert new XmlSlurper().parse(new File(reports, "TEST-kms.regression.${name}.xml")).@failures.text() == '0': name
}
def proof = new JsonSlurper().parse(new File(reports, 'kms-regression.json')).scalingProof
assert proof.passed == false
assert proof.exponent > 1.5
assert proof.line ==~ growth
