package dev.kmsgate.kms.generate;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.asn1.x509.V3TBSCertificateGenerator;
import org.bouncycastle.crypto.engines.AESWrapEngine;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.signers.Ed25519Signer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;

/**
 * Builds real DER X.509 v3 certificates with BouncyCastle's ASN.1 classes (TBSCertificate, signed
 * and wrapped in one DER sequence, without the builder's intermediate holder objects), signed by a test CA with Ed25519
 * (deterministic signatures, so the same profile gives the same bytes, and fast enough for
 * millions of certificates). Signing certificates carry Ed25519 keys from a small seeded pool;
 * encryption certificates carry X25519 keys (any 32 bytes are one). Thread-safe.
 */
final class CertificateFactory {

    static final String ISSUER_DN = "CN=KMS Gate Test CA,OU=Key Management,O=KMS Gate";
    private static final int SIGNING_KEY_POOL = 64;

    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
    private static final AlgorithmIdentifier X25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_X25519);
    private static final Extensions SIGNING_EXTENSIONS = keyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
    private static final Extensions ENCRYPTION_EXTENSIONS = keyUsage(KeyUsage.keyAgreement);

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

    private static Extensions keyUsage(int usage) {
        try {
            return new Extensions(new Extension(Extension.keyUsage, true, new DEROctetString(new KeyUsage(usage))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The subject DN as the KMS50 row stores it: BouncyCastle's RFC 4514 rendering. */
    static String subjectDn(String commonName, int site) {
        return new X500Name("CN=" + commonName + ",OU=Site " + site + ",O=KMS Gate").toString();
    }

    byte[] certificate(BigInteger serial, String subjectDn, char usage, Instant notBefore, Instant notAfter, long index) {
        SubjectPublicKeyInfo publicKey;
        Extensions extensions;
        if (usage == 'S') {
            publicKey = new SubjectPublicKeyInfo(ED25519, signingKeys[(int) Math.floorMod(index, (long) SIGNING_KEY_POOL)]);
            extensions = SIGNING_EXTENSIONS;
        } else {
            byte[] x25519 = new byte[32];
            new Entropy(seed, 4, index).nextBytes(x25519);
            publicKey = new SubjectPublicKeyInfo(X25519, x25519);
            extensions = ENCRYPTION_EXTENSIONS;
        }
        V3TBSCertificateGenerator tbsGenerator = new V3TBSCertificateGenerator();
        tbsGenerator.setSerialNumber(new ASN1Integer(serial));
        tbsGenerator.setSignature(ED25519);
        tbsGenerator.setIssuer(issuer);
        tbsGenerator.setStartDate(new Time(Date.from(notBefore)));
        tbsGenerator.setEndDate(new Time(Date.from(notAfter)));
        tbsGenerator.setSubject(new X500Name(subjectDn));
        tbsGenerator.setSubjectPublicKeyInfo(publicKey);
        tbsGenerator.setExtensions(extensions);
        TBSCertificate tbs = tbsGenerator.generateTBSCertificate();
        try {
            byte[] tbsDer = tbs.getEncoded(ASN1Encoding.DER);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, caKey);
            signer.update(tbsDer, 0, tbsDer.length);
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
            return new DERSequence(new ASN1Encodable[] {tbs, ED25519, new DERBitString(signer.generateSignature())})
                    .getEncoded(ASN1Encoding.DER);
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
}
