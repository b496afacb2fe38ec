/*
 * Two modules' gates at once (-T 2), one forked and one in Maven's JVM, on one store: both pass with
 * the verdict each reaches alone, no case "could not run", no database "in use by another process",
 * and each module has its own complete reports.
 */
import groovy.json.JsonSlurper

List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def passed = lines.findAll { it ==~ /\[INFO\] GATE PASSED: 8 of 8 cases pass at transactionCapacity 7 with strategy 'chunked' \([\d.]+ s\)\./ }
assert passed.size() == 2: lines.findAll { it.contains('GATE') }
assert !lines.any { it.contains('could not run') || it.contains('XSDB6') || it.contains('is blind') }
assert lines.any { it.endsWith('[INFO] BUILD SUCCESS') }
['alpha', 'beta'].each { module ->
    File reports = new File(basedir, "${module}/target/kms-reports")
    def json = new JsonSlurper().parse(new File(reports, 'kms-regression.json'))
    assert json.passed == true: module
    assert json.cases.size() == 8: module
    ['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty', 'self-proof'].each { name ->
        assert new File(reports, "TEST-kms.regression.${name}.xml").isFile(): "${module}: no suite for ${name}"
    }
}
// the modules shared their sources: one directory per profile in the one store
File sources = new File(basedir, 'shared-store/sources')
assert sources.listFiles().findAll { it.isDirectory() && it.name.startsWith('profile-') }.size() == 8
