/*
 * transactionCapacity 0 is a configuration error: a MojoExecutionException, which Maven reports
 * as BUILD FAILURE with a [Help 1] link to the MojoExecutionException page, with the message of
 * Messages.CAPACITY_TOO_SMALL, no stack trace, and no database touched.
 */
import groovy.xml.XmlSlurper

File buildLog = new File(basedir, 'build.log')
assert buildLog.isFile()
List<String> lines = buildLog.readLines('UTF-8')
String pluginVersion = new XmlSlurper().parse(new File(basedir, 'pom.xml')).build.plugins.plugin.version.text()

String message = '<transactionCapacity> is 0, but must be at least 1. Set it to the number of row changes one transaction ' +
        'of the target store can hold (default 1000).'
String error = "[ERROR] Failed to execute goal dev.kmsgate:kms-maven-plugin:${pluginVersion}:convert (convert) on project bad-capacity: ${message} -> [Help 1]"
assert lines.contains(error): "build.log lacks the line: ${error}"
assert lines.contains('[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException')
assert !lines.any { it.contains('MojoFailureException') }
assert lines.contains('[INFO] BUILD FAILURE')
assert !lines.any { it.startsWith('\tat ') || it.startsWith('Caused by:') }

// refused before anything was opened or created
assert !lines.any { it.startsWith('[INFO] Converting ') }
assert !new File(basedir, 'target/kms').exists()
assert !new File(basedir, 'target/derby.log').exists()
assert !new File(basedir, 'derby.log').exists()

return true
