/*
 * Secrets never leak: the boot passwords (from the environment) and the wrapped keys (read back
 * from the encrypted source) appear in no output of a -X build: build.log, the reports (JUnit XML,
 * JSON and the HTML pages), derby.log.
 * Each secret is searched raw, in hex (both cases) and in Base64.
 */
import java.sql.DriverManager
import java.util.Base64
import java.util.HexFormat

File buildLog = new File(basedir, 'build.log')
String log = buildLog.getText('UTF-8')
List<String> lines = buildLog.readLines('UTF-8')
assert lines.any { it.startsWith('[DEBUG] ') }: 'the build ran with -X'
assert lines.contains('[INFO] BUILD SUCCESS')
assert lines.any { it.startsWith('[INFO]   PASSED  invariant 7 (conversion record): ') }

String sourceBoot = 'Plant3d-Source-Boot-4711'
String targetBoot = 'Plant3d-Target-Boot-0815'

// the wrapped keys, read from the encrypted source with its boot password
File kms50 = new File(basedir, 'target/kms/kms50')
List<byte[]> keys = []
def props = new Properties()
props.setProperty('bootPassword', sourceBoot)
def connection = new org.apache.derby.iapi.jdbc.AutoloadedDriver().connect("jdbc:derby:${kms50.absolutePath}", props)
try {
    def rs = connection.createStatement().executeQuery('SELECT WRAPPED_KEY FROM KMS50.KM_KEY')
    while (rs.next()) {
        keys << rs.getBytes(1)
    }
} finally {
    connection.close()
    try {
        new org.apache.derby.iapi.jdbc.AutoloadedDriver().connect("jdbc:derby:${kms50.absolutePath};shutdown=true", props)
    } catch (java.sql.SQLException e) {
        assert e.SQLState == '08006'
    }
}
assert keys.size() == 25 + 1 + 2: 'one key per encryption certificate, orphan encryption certificates and orphan keys'

List<String> needles = [sourceBoot, targetBoot]
keys.each { byte[] key ->
    needles << HexFormat.of().formatHex(key)
    needles << HexFormat.of().withUpperCase().formatHex(key)
    needles << Base64.getEncoder().encodeToString(key)
    needles << HexFormat.of().formatHex(key, 0, 12)
}

List<File> outputs = [buildLog]
new File(basedir, 'target').eachFileRecurse { File f ->
    if (f.isFile() && (f.name.endsWith('.xml') || f.name.endsWith('.json') || f.name.endsWith('.html') || f.name == 'derby.log')) {
        outputs << f
    }
}
assert outputs.any { it.name.startsWith('TEST-kms.verify') }: 'the reports were searched'
assert outputs.any { it.name == 'index.html' } && outputs.any { it.name == 'kms-verify-kms55.html' }: 'the HTML report was searched'
assert log.contains("[INFO] Report: ${new File(basedir, 'target/kms-reports/index.html').absolutePath}")
outputs.each { File f ->
    String text = f.getText('UTF-8')
    needles.each { String secret ->
        assert !text.contains(secret): "a secret (${secret.length()} characters) appears in ${f}"
    }
}
// both databases really are encrypted, with AES rather than Derby's default DES
['target/kms/kms50', 'target/kms/kms55'].each { String db ->
    String service = new File(basedir, "${db}/service.properties").getText('ISO-8859-1')
    assert service.contains('dataEncryption=true'): "${db} is not encrypted"
    assert service.contains('encryptionAlgorithm=AES/CBC/NoPadding'): "${db} is not encrypted with AES"
}
// the check can fail: the secret is where it should be
assert keys.every { it.length == 40 }
