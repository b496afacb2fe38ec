/*
 * A team's converter that writes the users through a connection of its own (a driver found beside
 * the handed connection), around the capacity guard: every case fails, saying that rows reached the
 * target through a connection the guard did not see. Case 0 holds 20 users, 40 certificates and
 * 20 keys: 80 rows, of which the guard counted 60.
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
assert message.contains('  - case 0: the target holds 80 rows, but the capacity guard counted only 60 row changes: rows reached it through a connection ' +
        'the guard did not see (another driver, a trigger). Write only through context.target() or connections of context.targetUrl().')
line('[INFO] BUILD FAILURE')
