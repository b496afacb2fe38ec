/*
 * A typo in argLine (-XX:+UseParalelGC): the gate's own JVM refuses to start. The JVM's own
 * complaint reaches the build's output, and the goal fails with a MojoExecutionException naming
 * the exit status, the argLine and the two fixes, without a stack trace; no gate ran.
 */
import groovy.xml.XmlSlurper

// Maven's console may leave a colour reset where another process's line begins
List<String> lines = new File(basedir, 'build.log').readLines('UTF-8').collect { it.replaceAll(/\u001B\[[0-9;]*m/, '') }
String pluginVersion = new XmlSlurper().parse(new File(basedir, 'pom.xml')).build.plugins.plugin.version.text()

// the child's standard error is copied to Maven's: printed as it is, or as Maven 4 logs a plugin's System.err
String refusal = "Unrecognized VM option 'UseParalelGC'"
assert lines.contains(refusal) || lines.contains('[WARNING] [stderr] ' + refusal): "the JVM's own message is not relayed"
String message = "The gate's JVM exited with status 1 before the gate finished; what it printed is above. Check <argLine> " +
        "('-XX:TieredStopAtLevel=1 -XX:+UseParalelGC', -Dkms.argLine), or run the gate in Maven's own JVM with -Dkms.fork=false."
String error = "[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:${pluginVersion}:regression (gate) on project " +
        "regression-bad-argline: ${message} -> [Help 1]"
assert lines.contains(error): "build.log lacks the line: ${error}"
assert lines.contains('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException')
assert lines.contains('[INFO] BUILD FAILURE')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }
assert !lines.any { it.startsWith('[INFO] KMS Gate regression: ') }
assert !new File(basedir, 'target/kms-gate').exists()

return true
