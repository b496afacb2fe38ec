/*
 * -Dkms.skip=true: every goal says it skipped, nothing else happens (the convert execution's
 * invalid capacity is never even looked at), and nothing is written.
 */
File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
// Maven's own resolution of the plugin (into an empty IT repository) is no output of the plugin
List<String> lines = buildLog.readLines('UTF-8').findAll { !(it =~ /^\[INFO\] Download(ing|ed) from /) }

def kmsLines = lines.findAll { !it.startsWith('[INFO] ---') && (it.contains('kms') || it.contains('KMS')) && !it.contains('dev.kmsgate.it:skip') }
assert kmsLines == [
        '[INFO] Skipping kms:generate (skip is true, -Dkms.skip).',
        '[INFO] Skipping kms:convert (skip is true, -Dkms.skip).',
        '[INFO] Skipping kms:verify (skip is true, -Dkms.skip).',
]
int generate = lines.findIndexOf { it.contains(':generate (generate) @ skip ---') }
int convert = lines.findIndexOf { it.contains(':convert (convert) @ skip ---') }
int verify = lines.findIndexOf { it.contains(':verify (verify) @ skip ---') }
assert 0 < generate && generate < convert && convert < verify
assert lines[generate + 1] == '[INFO] Skipping kms:generate (skip is true, -Dkms.skip).'
assert lines[convert + 1] == '[INFO] Skipping kms:convert (skip is true, -Dkms.skip).'
assert lines[verify + 1] == '[INFO] Skipping kms:verify (skip is true, -Dkms.skip).'
assert lines.contains('[INFO] BUILD SUCCESS')
assert !lines.any { it.startsWith('[WARNING]') || it.startsWith('[ERROR]') }

// no database, no report, no Derby log: not even the target directory
assert !new File(basedir, 'target').exists()
assert !new File(basedir, 'derby.log').exists()

return true
