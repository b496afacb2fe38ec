/*
 * A team's converter that marks every revocation in one transaction (KB Q193567) at capacity 7
 * (largeMultiple 3): cases 0, 1, C-1 and C fit and pass; C+1 (8), 2C+1 (15), 3C (21) and the dirty
 * database do not, and the build FAILS naming each case, the transaction and the capacity.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }
// the lines of the failure message, as Maven prints them (3.x prefixes each with [ERROR], others may not)
List<String> message = lines.collect { it.startsWith('[ERROR] ') ? it.substring(8) : it }
String converter = 'dev.kmsgate.kms.spi.TeamConverter$OneTransaction'

['0', '1', 'C-1', 'C'].each { name -> assert lines.find { it.startsWith("[INFO] ${name} ") }?.endsWith(' PASS'): name }
['C+1', '2C+1', '3C', 'dirty'].each { name -> assert lines.find { it.startsWith("[WARNING] ${name} ") }?.endsWith(' FAIL'): name }
assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.endsWith(":regression (gate) on project converter-one-transaction: The KMS gate failed at transactionCapacity 7 with converter ${converter}: 4 of 8 cases fall short.") }
['C+1', '2C+1', '3C', 'dirty'].each { name ->
    String prefix = "  - case ${name}: conversion aborted: Conversion by ${converter} aborted under the transaction capacity: one transaction reached 8 row changes, but the target accepts at most 7 (<transactionCapacity>). Commit in chunks of at most 7 row changes; "
    assert message.any { it.startsWith(prefix) }: prefix
}
line('[INFO] BUILD FAILURE')
line('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }
