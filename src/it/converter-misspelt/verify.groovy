/*
 * A converter class name with a typo: an execution error (MojoExecutionException; Maven prints BUILD FAILURE and links the MojoExecutionException page) naming the class and
 * where it was looked for, before any case runs, without a stack trace.
 */
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8')
def line = { String expected -> assert lines.contains(expected): "build.log lacks the line: ${expected}" }

String message = "<converter> is 'com.example.kms.ReleaseUpgarde', but no class of that name is in the project's classes, " +
        "test classes or their dependencies. Check the fully qualified name and that the class is compiled before this goal runs."
assert lines.any { it.startsWith('[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:') &&
        it.endsWith(":regression (gate) on project converter-misspelt: ${message} -> [Help 1]") }
line('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException')
assert !lines.any { it.startsWith('[INFO] KMS Gate regression:') }
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }
line('[INFO] BUILD FAILURE')
