package dev.kmsgate.kms.generate;

import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.operator.ContentSigner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;

/**
 * Builds real DER X.509 v3 certificates with BouncyCastle, signed by a test CA with Ed25519
 * (deterministic signatures, so the same profile gives the same bytes, and fast enough for
 * millions of certificates). Signing certificates carry Ed25519 keys from a small seeded pool;
 * encryption certificates carry X25519 keys (any 32 bytes are one). Thread-safe.
 */
final class CertificateFactory {

    static final String ISSUER_DN = "CN=KMS Gate Test CA,OU=Key Management,O=KMS Gate";
    private static final int SIGNING_KEY_POOL = 64;

    private final X500Name issuer = new X500Name(ISSUER_DN);
    private final Ed25519PrivateKeyParameters caKey;
    private final byte[][] signingKeys = new byte[SIGNING_KEY_POOL][];
    private final byte[] keyEncryptionKey = new byte[32];
    private final long seed;

    CertificateFactory(long seed) {
        this.seed = seed;
        byte[] caSeed = new byte[32];
        new Entropy(seed, 1, 0).nextBytes(caSeed);
        this.caKey = new Ed25519PrivateKeyParameters(caSeed);
        for (int i = 0; i < SIGNING_KEY_POOL; i++) {
            byte[] keySeed = new byte[32];
            new Entropy(seed, 2, i).nextBytes(keySeed);
            signingKeys[i] = new Ed25519PrivateKeyParameters(keySeed).generatePublicKey().getEncoded();
        }
        new Entropy(seed, 3, 0).nextBytes(keyEncryptionKey);
    }

    /** The subject DN as the KMS50 row stores it: BouncyCastle's RFC 4514 rendering. */
    static String subjectDn(String commonName, int site) {
        return new X500Name("CN=" + commonName + ",OU=Site " + site + ",O=KMS Gate").toString();
    }

    byte[] certificate(BigInteger serial, String subjectDn, char usage, Instant notBefore, Instant notAfter, long index) {
        SubjectPublicKeyInfo publicKey;
        KeyUsage keyUsage;
        if (usage == 'S') {
            publicKey = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    signingKeys[(int) Math.floorMod(index, (long) SIGNING_KEY_POOL)]);
            keyUsage = new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
        } else {
            byte[] x25519 = new byte[32];
            new Entropy(seed, 4, index).nextBytes(x25519);
            publicKey = new SubjectPublicKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_X25519), x25519);
            keyUsage = new KeyUsage(KeyUsage.keyAgreement);
        }
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(issuer, serial,
                Date.from(notBefore), Date.from(notAfter), new X500Name(subjectDn), publicKey);
        try {
            builder.addExtension(Extension.keyUsage, true, keyUsage);
            return builder.build(new Ed25519ContentSigner(caKey)).getEncoded();
        } catch (CertIOException e) {
            throw new UncheckedIOException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An escrowed private key: 32 seeded key bytes wrapped with AES key wrap (RFC 3394) under a seeded KEK. */
    byte[] wrappedKey(int space, long index) {
        byte[] privateKey = new byte[32];
        new Entropy(seed, 5 + space, index).nextBytes(privateKey);
        AESWrapEngine wrap = new AESWrapEngine();
        wrap.init(true, new KeyParameter(keyEncryptionKey));
        return wrap.wrap(privateKey, 0, privateKey.length);
    }

    private static final class Ed25519ContentSigner implements ContentSigner {
        private final Ed25519PrivateKeyParameters key;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);

        Ed25519ContentSigner(Ed25519PrivateKeyParameters key) {
            this.key = key;
        }

        @Override
        public AlgorithmIdentifier getAlgorithmIdentifier() {
            return new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
        }

        @Override
        public OutputStream getOutputStream() {
            return buffer;
        }

        @Override
        public byte[] getSignature() {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, key);
            byte[] tbs = buffer.toByteArray();
            signer.update(tbs, 0, tbs.length);
            return signer.generateSignature();
        }
    }
}
