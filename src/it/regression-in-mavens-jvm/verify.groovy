/*
 * fork false: the gate runs in Maven's own JVM, so the argLine that no JVM starts with
 * (-XX:+UseParalelGC) is never used, and the gate at capacity 5 (largeMultiple 3) passes with
 * its table, self-proof, reports and page, as it does in its own JVM.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }

assert !lines.any { it.startsWith('Unrecognized VM option') }
line('[INFO] KMS Gate regression: strategy chunked, transactionCapacity 5, 8 cases on 2 threads.')
line('[INFO] self-proof: the reference defect (single-transaction) on case C+1 (6 revocations) was refused at 6 row changes ' +
        '(capacity 5), and verification of what it left fails invariants 7 (4, 5 with the record check off): the gate can see the defect.')
assert lines.any { it ==~ /\[INFO\] GATE PASSED: 8 of 8 cases pass at transactionCapacity 5 with strategy 'chunked' \([\d.]+ s\)\./ }
File reports = new File(basedir, 'target/kms-reports')
line("[INFO] Report: ${new File(reports, 'index.html').absolutePath}".toString())
assert new File(reports, 'kms-regression.json').isFile()
assert new File(reports, 'TEST-kms.regression.C+1.xml').isFile()
line('[INFO] BUILD SUCCESS')

return true
