/*
 * A team's converter that keeps its checkpoint in a file and advances it before the commit it
 * describes: uninterrupted, every case passes; interrupted at a commit, the resumed run skips the
 * lost chunk, and the build FAILS naming the resume trial, its case and its commit point.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }
// the lines of the failure message, as Maven prints them (3.x prefixes each with [ERROR], others may not)
List<String> message = lines.collect { it.startsWith('[ERROR] ') ? it.substring(8) : it }
String converter = 'dev.kmsgate.kms.spi.TeamConverter$CheckpointOutsideData'

['0', '1', 'C-1', 'C', 'C+1', '2C+1', '3C', 'dirty'].each { name ->
    assert lines.find { it.startsWith("[INFO] ${name} ") }?.endsWith(' PASS'): name
}
assert lines.any { it ==~ /\[WARNING\] resume trial \d: case 3C interrupted at commit \d+ of \d+, then run again: FAIL/ }
assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it ==~ /.*:regression \(gate\) on project converter-checkpoint-outside-data: The KMS gate failed at transactionCapacity 7 with converter .*: 0 of 8 cases fall short, \d+ of \d+ resume trials fail\./ }
assert message.any { it ==~ /  - resume trial \d \(case 3C, interrupted at commit \d+ of \d+\): invariant \d \(.*/ }
line('[INFO] BUILD FAILURE')
