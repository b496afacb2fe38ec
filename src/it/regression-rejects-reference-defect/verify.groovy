/*
 * The gate under test with strategy single-transaction at capacity 10 (largeMultiple 4): cases
 * 0, 1, C-1 and C fit in one transaction and pass; C+1 (11), 2C+1 (21), 4C (40) and the dirty
 * database (11 revoked + 6 unknown + 2 revoked certificates of deleted users = 19) do not, so the
 * build FAILS, naming the capacity and each failing case.
 */
import groovy.xml.XmlSlurper

List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
String log = lines.join('\n')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }

line('[INFO] KMS Gate regression: strategy single-transaction, transactionCapacity 10, 8 cases on 2 threads.')
['0', '1', 'C-1', 'C'].each { name -> assert lines.find { it.startsWith("[INFO] ${name} ") }?.endsWith(' PASS'): name }
['C+1', '2C+1', '4C', 'dirty'].each { name -> assert lines.find { it.startsWith("[WARNING] ${name} ") }?.endsWith(' FAIL'): name }
assert lines.any { it ==~ /\[WARNING\] GATE FAILED: 4 of 8 cases pass at transactionCapacity 10 with strategy 'single-transaction' \([\d.]+ s\)\./ }
// the gate still proved itself: a failing gate for the defect is not a blind one
assert lines.any { it.startsWith('[INFO] self-proof: the reference defect (single-transaction) on case C+1 (11 revocations) was refused at 11 row changes (capacity 10)') }

// one failure message: Maven's prefix, then the gate's summary, then one line per failing case
String summary = " on project regression-rejects-reference-defect: The KMS gate failed at transactionCapacity 10 with strategy " +
        "'single-transaction': 4 of 8 cases fall short."
assert lines.count { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') && it.endsWith(summary) } == 1
[['C+1', 11], ['2C+1', 11], ['4C', 11], ['dirty', 11]].each { name, reached ->
    String aborted = "[ERROR]   - case ${name}: conversion aborted: Conversion aborted under the transaction capacity: one transaction " +
            "reached ${reached} row changes, but the target accepts at most 10 (<transactionCapacity>)."
    assert lines.count { it.startsWith(aborted) } == 1: name
}
assert !log.contains('The gate is blind')
assert lines.contains('[INFO] BUILD FAILURE')
assert lines.contains('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }

File reports = new File(basedir, 'target/kms-reports')
def failing = new XmlSlurper().parse(new File(reports, 'TEST-kms.regression.C+1.xml'))
assert failing.@failures.text() == '2': 'the conversion test case and invariant 7'
assert failing.@skipped.text() == '6'
assert failing.testcase[0].failure.@message.text().startsWith('Conversion aborted under the transaction capacity: one transaction reached 11 row changes')
def passing = new XmlSlurper().parse(new File(reports, 'TEST-kms.regression.C.xml'))
assert passing.@failures.text() == '0'

// the page a person reads names every failing case, why, and draws its refused transaction over the capacity
File index = new File(reports, 'index.html')
assert lines.contains("[INFO] Report: ${index.absolutePath}".toString())
String page = index.getText('UTF-8')
['C+1', '2C+1', '4C', 'dirty'].each { name ->
    assert page.contains("<section class=\"case fail\" id=\"case-${name}\">"): name
    assert page.contains("<a href=\"#case-${name}\">case ${name}</a>: conversion aborted: Conversion aborted under the transaction capacity: one transaction reached 11 row changes"): name
}
['0', '1', 'C-1', 'C'].each { name -> assert page.contains("<section class=\"case pass\" id=\"case-${name}\">"): name }
assert page.count('<rect class="refused"') == 4
assert page.contains(': 11 row changes, beyond the capacity of 10</title>')
assert page.contains('<h2>Regression gate: FAILED</h2>')
