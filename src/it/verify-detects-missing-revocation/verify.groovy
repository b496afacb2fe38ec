/*
 * prebuild.groovy un-revoked one certificate in a correct conversion. kms:verify must fail the
 * build with a MojoFailureException (a defect found, not a goal that could not run), and say which
 * invariants broke, with their numbers and the serial.
 *
 * Profile (see prebuild.groovy): 40 users = 80 certificates + 3 orphans = 83; 40 + 1 + 2 = 43 keys;
 * 30 revoked + 3 unknown serials + 1 revoked orphan = 34 distinct CRL serials, 30 of them name a
 * converted certificate, 4 are unmatched. After the tampering the target has 29 revoked.
 */
import groovy.json.JsonSlurper
import groovy.xml.XmlSlurper

import java.util.regex.Pattern

File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
List<String> lines = buildLog.readLines('UTF-8')

Properties tampered = new Properties()
new File(basedir, 'target/tampered.properties').withInputStream { tampered.load(it) }
String serial = tampered.getProperty('serial')
String difference = "serial ${serial}: on the CRL (at ${tampered.getProperty('revokedAtUtc')} UTC, reason ${tampered.getProperty('reason')}) but STATUS is V"

String kms50 = basedir.toPath().resolve('target/kms/kms50').toAbsolutePath().normalize().toString()
String kms55 = basedir.toPath().resolve('target/kms/kms55').toAbsolutePath().normalize().toString()
String pluginVersion = new XmlSlurper().parse(new File(basedir, 'pom.xml')).build.plugins.plugin.version.text()

def line = { String expected ->
    assert lines.contains(expected): "build.log lacks the line: ${expected}"
}

String invariant4 = 'invariant 4 (revocation counts): 34 distinct CRL serials; target has 29 revoked + 4 unmatched = 33; ' +
        "30 CRL serials name a converted certificate, 29 are revoked; first differences: ${difference}"
String invariant5 = "invariant 5 (revoked serials): 33 of 34 revoked serials carry their effective revocation; 1 difference; first differences: ${difference}"

line('[INFO]   PASSED  invariant 1 (users): 40 users in source and target')
line('[INFO]   PASSED  invariant 2 (certificates): 83 certificates in source and target')
line('[INFO]   PASSED  invariant 3 (keys): 43 keys in source and target')
line("[WARNING]   FAILED  ${invariant4}")
line("[WARNING]   FAILED  ${invariant5}")
line('[INFO]   PASSED  invariant 6 (row equality): 166 of 166 source rows have an equal target row')
assert lines.any { it ==~ Pattern.quote('[INFO]   PASSED  invariant 7 (conversion record): a finished conversion of this source (fingerprint ') + /[0-9a-f]{12}\)/ }
assert lines.any { it ==~ Pattern.quote("[INFO] Verified ${kms55} against ${kms50}: 5 of 7 invariants hold (376 rows compared in ") + /\d+\.\d s\)\./ }

// one failure, listing both invariants; a MojoFailureException (defect found), not a MojoExecutionException
line('[INFO] BUILD FAILURE')
line("[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:${pluginVersion}:verify (verify) on project verify-detects-missing-revocation: " +
        "Verification of ${kms55} against ${kms50} failed: 2 of 7 invariants do not hold.")
int first = lines.indexOf("[ERROR]   - ${invariant4}".toString())
assert first > 0
assert lines[first + 1] == "[ERROR]   - ${invariant5}".toString()
assert lines[first + 2] == '[ERROR] -> [Help 1]'
line('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }

// JUnit XML: 7 test cases, invariants 4 and 5 failed with their numbers and the serial
File xml = new File(basedir, 'target/kms-reports/TEST-kms.verify.kms55.xml')
assert xml.isFile()
def suite = new XmlSlurper().parse(xml)
assert suite.@tests.text() == '7'
assert suite.@failures.text() == '2'
assert suite.@errors.text() == '0'
assert suite.@skipped.text() == '0'
def failed = suite.testcase.findAll { it.failure.size() > 0 }
assert failed*.@name*.text().collect { it.substring(0, it.indexOf(':')) } == ['4 revocation counts', '5 revoked serials']
assert failed[0].failure.@message.text() == '34 distinct CRL serials; target has 29 revoked + 4 unmatched = 33; 30 CRL serials name a converted certificate, 29 are revoked'
assert failed[0].failure.text() == invariant4
assert failed[1].failure.@message.text() == '33 of 34 revoked serials carry their effective revocation; 1 difference'
assert failed[1].failure.text() == invariant5

// JSON summary
File json = new File(basedir, 'target/kms-reports/kms-verify-kms55.json')
assert json.getText('UTF-8').contains('"passed" : false')
def summary = new JsonSlurper().parse(json)
assert summary.passed == false
assert summary.invariants*.status == ['PASSED', 'PASSED', 'PASSED', 'FAILED', 'FAILED', 'PASSED', 'PASSED']
assert summary.invariants[3].expected == 34
assert summary.invariants[3].actual == 33
assert summary.invariants[3].firstDifferences == [difference.toString()]
assert summary.invariants[4].expected == 34
assert summary.invariants[4].actual == 33
assert summary.invariants[4].differences == 1
assert summary.invariants[4].firstDifferences == [difference.toString()]

return true
