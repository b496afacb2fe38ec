/*
 * kms:regression at capacity 37 (largeMultiple 10): the boundary cases 0, 1, 36, 37, 38, 75 and 370
 * revocations and the dirty database all pass, and the self-proof catches the reference defect.
 * Boundary case users = max(20, revocations), two certificates each. Dirty: 50 users, 38 revoked,
 * 18 duplicate CRL rows, 9 unknown serials, 9 certificates of deleted users (3 of them revoked),
 * 4 keys without certificates: 109 certificates, 38 + 9 + 3 = 50 distinct CRL serials. The scaling
 * proof's two cases (500 and 4,000 users, whatever the capacity) pass too, and KMS Gate's own
 * converter's work grows linearly with the data.
 */
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }

line('[INFO] KMS Gate regression: strategy chunked, transactionCapacity 37, 10 cases (2 of them the scaling proof\'s) on 2 threads.')
def expected = [
        ['0', 20, 40, 0], ['1', 20, 40, 1], ['C-1', 36, 72, 36], ['C', 37, 74, 37], ['C+1', 38, 76, 38],
        ['2C+1', 75, 150, 75], ['10C', 185, 370, 370], ['dirty', 50, 109, 79],
        ['scale-1x', 500, 1010, 514], ['scale-8x', 4000, 8080, 4107]]
expected.each { name, users, certificates, revocations ->
    def row = lines.find { it ==~ /\[INFO\] ${java.util.regex.Pattern.quote(name)}\s+.*/ }
    assert row != null: "no table row for case ${name}"
    def m = row =~ /^\[INFO\] \S+\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(PASS|FAIL)$/
    assert m.matches(): row
    assert m.group(1).replace(',', '') as int == users: row
    assert m.group(2).replace(',', '') as int == certificates: row
    assert m.group(3).replace(',', '') as int == revocations: row
    assert (m.group(5).replace(',', '') as int) <= 37: "largest transaction beyond the capacity: ${row}"
    assert m.group(7) == 'PASS': row
}
// the large case fills transactions to the capacity exactly
assert lines.find { it.startsWith('[INFO] 10C ') } =~ /\s37\s+[\d,]+\s+PASS$/
line('[INFO] self-proof: the reference defect (single-transaction) on case C+1 (38 revocations) was refused at 38 row changes ' +
        '(capacity 37), and verification of what it left fails invariants 7 (4, 5 with the record check off): the gate can see the defect.')
assert lines.any { it ==~ /\[INFO\] scaling proof: 8\.0x the rows took \d+(\.\d)?x the work \(about n\^[01]\.\d\d; cases scale-1x and scale-8x\): work grows linearly with the data\./ }
assert lines.any { it ==~ /\[INFO\] GATE PASSED: 10 of 10 cases pass at transactionCapacity 37 with strategy 'chunked' \([\d.]+ s\)\./ }
assert lines.contains('[INFO] BUILD SUCCESS')

File reports = new File(basedir, 'target/kms-reports')
(expected.collect { it[0] } + ['self-proof', 'scaling-proof']).each { name ->
    File xml = new File(reports, "TEST-kms.regression.${name}.xml")
    assert xml.isFile(): "missing ${xml}"
    def suite = new XmlSlurper().parse(xml)
    assert suite.@failures.text() == '0': "${xml.name} has failures"
    assert suite.@errors.text() == '0'
}
def caseSuite = new XmlSlurper().parse(new File(reports, 'TEST-kms.regression.C+1.xml'))
assert caseSuite.@tests.text() == '8': 'a test case for the conversion and one per invariant'
assert caseSuite.testcase[0].@name.text() == 'conversion: no transaction beyond 37 row changes'

def json = new JsonSlurper().parse(new File(reports, 'kms-regression.json'))
assert json.passed == true
assert json.transactionCapacity == 37
assert json.cases.size() == 10
assert json.cases.every { it.passed && it.largestTransaction <= 37 }
assert json.selfProof.sighted == true
assert json.selfProof.refusedAt == 38
assert json.scalingProof.passed == true
assert json.scalingProof.smallRows == 2549 && json.scalingProof.largeRows == 20387
assert json.scalingProof.exponent <= 1.5
