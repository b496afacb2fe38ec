/*
 * mvn verify site: the gate writes target/kms-reports, and kms:report puts the same fragment of HTML
 * (the gate's verdict, its cases and their charts) on the site page target/site/kms-report.html.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
String index = new File(basedir, 'target/kms-reports/index.html').absolutePath
assert lines.contains("[INFO] Report: ${index}".toString()): "build.log names the report"
assert lines.any { it ==~ /\[INFO\] GATE PASSED: 8 of 8 cases pass at transactionCapacity 6 with strategy 'chunked' \([\d.]+ s\)\./ }
assert lines.contains('[INFO] BUILD SUCCESS')

String gatePage = new File(basedir, 'target/kms-reports/kms-regression.html').getText('UTF-8')
String start = '<!-- kms-report-fragment -->'
String end = '<!-- /kms-report-fragment -->'
String fragment = gatePage.substring(gatePage.indexOf(start) + start.length(), gatePage.indexOf(end))
assert fragment.contains('<h2>Regression gate: PASSED</h2>')
assert fragment.contains('<svg ')

File sitePage = new File(basedir, 'target/site/kms-report.html')
assert sitePage.isFile(): 'mvn site wrote the KMS Gate report page'
String site = sitePage.getText('UTF-8')
assert site.contains(fragment): 'the site page holds the very fragment the gate rendered'
assert site.contains('<style>:root {'): 'with the report style'
// the site lists it among the project reports
assert new File(basedir, 'target/site/project-reports.html').getText('UTF-8').contains('href="kms-report.html"')
