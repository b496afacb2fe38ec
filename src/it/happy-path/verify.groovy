/*
 * generate -> convert (capacity 20) -> verify, all bound to the lifecycle, must pass every invariant.
 *
 * Expected numbers follow from the profile (see Profile): 60 users with 2 certificates each plus
 * 6 orphan certificates = 126 certificates; 60 + 6/2 + 3 orphan keys = 66 keys; 45 + 10 duplicate
 * + 5 orphan + 2 revoked orphan certificates (every third of 6) = 62 CRL rows over 52 distinct
 * serials, of which 45 name a converted certificate and 7 do not (5 unknown + 2 quarantined).
 * Row changes: 259 data rows (60 + 126 + 66 + 7 unmatched) + 7 bookkeeping rows (conversion record,
 * run start, three phases, finish, run end) = 266, in 20 transactions (3 user chunks, 10 serial
 * chunks of at most 20, 7 bookkeeping commits); none larger than the capacity.
 */
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

import java.util.regex.Pattern

File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
List<String> lines = buildLog.readLines('UTF-8')

String kms50 = basedir.toPath().resolve('target/kms/kms50').toAbsolutePath().normalize().toString()
String kms55 = basedir.toPath().resolve('target/kms/kms55').toAbsolutePath().normalize().toString()

def line = { String expected ->
    assert lines.contains(expected): "build.log lacks the line: ${expected}"
}
def lineMatching = { String regex ->
    assert lines.any { it ==~ regex }: "build.log lacks a line matching: ${regex}"
}
def q = { String text -> Pattern.quote(text) }

lineMatching(q("[INFO] Generated ${kms50}: 60 users, 126 certificates, 66 keys, 62 CRL rows in ") + /\d+\.\d s\./)
line("[INFO] Converting ${kms50} into ${kms55} (strategy chunked, transactionCapacity 20): 60 users, 126 certificates, 66 keys, 62 CRL rows.")
lineMatching(q("[INFO] Converted ${kms55} in ") + /\d+\.\d/ + q(" s: 266 row changes in 20 transactions, the largest 20 (capacity 20); " +
        "45 revoked, 7 unmatched revocations, 6 certificates and 6 keys quarantined."))

line('[INFO]   PASSED  invariant 1 (users): 60 users in source and target')
line('[INFO]   PASSED  invariant 2 (certificates): 126 certificates in source and target')
line('[INFO]   PASSED  invariant 3 (keys): 66 keys in source and target')
line('[INFO]   PASSED  invariant 4 (revocation counts): 52 distinct CRL serials; target has 45 revoked + 7 unmatched = 52; ' +
        '45 CRL serials name a converted certificate, 45 are revoked')
line('[INFO]   PASSED  invariant 5 (revoked serials): 52 of 52 revoked serials carry their effective revocation')
line('[INFO]   PASSED  invariant 6 (row equality): 252 of 252 source rows have an equal target row')
lineMatching(q('[INFO]   PASSED  invariant 7 (conversion record): a finished conversion of this source (fingerprint ') + /[0-9a-f]{12}\)/)
assert lines.count { it.startsWith('[INFO]   PASSED  invariant ') } == 7
assert !lines.any { it.contains('FAILED  invariant') || it.contains('SKIPPED  invariant') }
// 314 source rows (60 + 126 + 66 + 62) and 259 target rows
lineMatching(q("[INFO] Verified ${kms55} against ${kms50}: 7 of 7 invariants hold (573 rows compared in ") + /\d+\.\d s\)\./)

line('[INFO] BUILD SUCCESS')
assert !lines.any { it.startsWith('[ERROR]') }

// the databases, and Derby's log kept out of the project directory
assert new File(basedir, 'target/kms/kms50/service.properties').isFile()
assert new File(basedir, 'target/kms/kms55/service.properties').isFile()
assert !new File(basedir, 'derby.log').exists()

// JUnit XML: one passed test case per invariant
File xml = new File(basedir, 'target/kms-reports/TEST-kms.verify.kms55.xml')
assert xml.isFile()
def suite = new XmlSlurper().parse(xml)
assert suite.@name.text() == 'kms.verify.kms55'
assert suite.@tests.text() == '7'
assert suite.@failures.text() == '0'
assert suite.@errors.text() == '0'
assert suite.@skipped.text() == '0'
assert suite.testcase.size() == 7
assert suite.testcase*.@name*.text().collect { it.substring(0, it.indexOf(':')) } ==
        ['1 users', '2 certificates', '3 keys', '4 revocation counts', '5 revoked serials', '6 row equality', '7 conversion record']
assert suite.testcase.failure.size() == 0
assert suite.properties.property.find { it.@name == 'rowsCompared' }.@value.text() == '573'

// JSON summary
File json = new File(basedir, 'target/kms-reports/kms-verify-kms55.json')
assert json.isFile()
assert json.getText('UTF-8').contains('"passed" : true')
def summary = new JsonSlurper().parse(json)
assert summary.goal == 'verify'
assert summary.source == kms50
assert summary.target == kms55
assert summary.passed == true
assert summary.rowsCompared == 573
assert summary.invariants*.number == [1, 2, 3, 4, 5, 6, 7]
assert summary.invariants*.status.every { it == 'PASSED' }
assert summary.invariants*.expected == [60, 126, 66, 52, 52, 252, 1]
assert summary.invariants*.actual == [60, 126, 66, 52, 52, 252, 1]

return true
