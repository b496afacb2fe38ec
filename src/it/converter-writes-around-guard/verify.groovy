/*
 * A team's converter that writes the users through a connection of its own (a driver found beside
 * the handed connection), around the capacity guard: the gate's targets accept no connection but
 * KMS Gate's, so every case fails, saying that the converter went around the guard.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }
// the lines of the failure message, as Maven prints them (3.x prefixes each with [ERROR], others may not)
List<String> message = lines.collect { it.startsWith('[ERROR] ') ? it.substring(8) : it }
String converter = 'dev.kmsgate.kms.spi.TeamConverter$WritesAroundGuard'

['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty'].each { name ->
    assert lines.find { it.startsWith("[WARNING] ${name} ") }?.endsWith(' FAIL'): name
}
assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.endsWith(":regression (gate) on project converter-writes-around-guard: The KMS gate failed at transactionCapacity 7 with converter ${converter}: 8 of 8 cases fall short.") }
String aroundTheGuard = "  - case 0: conversion aborted: The converter ${converter} opened a connection to the target around the capacity guard " +
        "(a driver and URL of its own), and the gate's target refused it (SQLState 08004: it accepts no connection but KMS Gate's). " +
        'Write only through context.target() or connections of context.targetUrl(): the guard counts nothing else.'
// the case's first problem; the invariants that what it left fails follow after '; '
assert message.any { it == aroundTheGuard || it.startsWith(aroundTheGuard[0..-2] + '; ') }: "the build's failure message lacks the line: ${aroundTheGuard}"
line('[INFO] BUILD FAILURE')
