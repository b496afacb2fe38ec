/*
 * A team's converter that throws: every case fails with the converter's class, the exception and
 * its message; the build FAILS.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }
// the lines of the failure message, as Maven prints them (3.x prefixes each with [ERROR], others may not)
List<String> message = lines.collect { it.startsWith('[ERROR] ') ? it.substring(8) : it }
String converter = 'dev.kmsgate.kms.spi.TeamConverter$Throws'

assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.endsWith(":regression (gate) on project converter-throws: The KMS gate failed at transactionCapacity 7 with converter ${converter}: 8 of 8 cases fall short.") }
String thrown = "  - case C: conversion aborted: The converter ${converter} failed: java.lang.IllegalStateException: the team's converter cannot read KM_CERT.USAGE 'X'; "
assert message.any { it.startsWith(thrown) }: thrown
line('[INFO] BUILD FAILURE')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }
