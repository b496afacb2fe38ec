/*
 * -Dkms.skip=true: every goal says it skipped, nothing else happens (the convert execution's
 * invalid capacity is never even looked at), and nothing is written.
 *
 * Lines are matched whole, never by a substring: the checkout path (which may contain "kms") and
 * Maven's own lines must not decide the outcome. Each goal's output is the lines between its
 * execution header and the next header; Maven's resolver may print its own transfer lines there
 * (Maven 4 warns about prefix metadata it cannot fetch), and those are not the plugin's.
 */
File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
List<String> lines = buildLog.readLines('UTF-8')

// Maven 3.6-3.8 name the plugin by its artifactId, 3.9 and 4 by its prefix
def header = { String goal -> ~/^\[INFO\] --- (kms-maven-plugin|kms):[^ :]+:${goal} \(${goal}\) @ skip ---$/ }
def resolverLine = { String text -> text ==~ /^\[INFO\] Download(ing|ed) from .*/ || text ==~ /^\[WARNING\] Could not transfer .*/ }

/** The plugin's lines of one execution: from its header to the next header or separator, blank lines left out. */
def output = { String goal ->
    int start = lines.findIndexOf { it ==~ header(goal) }
    assert start >= 0: "build.log has no execution header of kms:${goal}"
    List<String> section = []
    for (int i = start + 1; i < lines.size() && !lines[i].startsWith('[INFO] ---'); i++) {
        if (lines[i] != '[INFO] ' && lines[i] != '[INFO]' && !resolverLine(lines[i])) {
            section << lines[i]
        }
    }
    [start, section]
}

def (generate, generateLines) = output('generate')
def (convert, convertLines) = output('convert')
def (verify, verifyLines) = output('verify')
assert generate < convert && convert < verify
assert generateLines == ['[INFO] Skipping kms:generate (skip is true, -Dkms.skip).']
assert convertLines == ['[INFO] Skipping kms:convert (skip is true, -Dkms.skip).']
// the verify execution is the build's last: Maven's own install lines follow it before the separator
assert verifyLines.first() == '[INFO] Skipping kms:verify (skip is true, -Dkms.skip).'
assert verifyLines.drop(1).every { it.startsWith('[INFO] Copying ') || it.startsWith('[INFO] Installing ') }

// each goal said it skipped exactly once, and none started its work
['generate', 'convert', 'verify'].each { goal ->
    assert lines.count { it == "[INFO] Skipping kms:${goal} (skip is true, -Dkms.skip).".toString() } == 1
}
assert !lines.any { it ==~ /^\[INFO\] (Generat|Convert|Verif|Replacing|Database ).*/ }
assert lines.contains('[INFO] BUILD SUCCESS')
assert !lines.any { it.startsWith('[ERROR]') }

// no database, no report, no Derby log: nothing in target/ but what Maven 4 itself keeps there
// (its project-local repository of the build's own artifacts)
File target = new File(basedir, 'target')
assert !target.exists() || (target.list() as List).findAll { it != 'project-local-repo' } == []
assert !new File(basedir, 'derby.log').exists()

return true
