package dev.kmsgate.kms.generate;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Date;

/**
 * Builds real DER X.509 v3 certificates with BouncyCastle's ASN.1 classes (TBSCertificate, signed
 * and wrapped in one DER sequence, without the builder's intermediate holder objects), issued by a
 * generated test CA with Ed25519 (deterministic signatures, so the same profile gives the same
 * bytes, and fast enough for millions of certificates). Signing certificates carry Ed25519 keys
 * from a small seeded pool; encryption certificates carry X25519 keys (any 32 bytes are one).
 *
 * <p>The CA's own certificate ({@link #caCertificate()}) is self-signed, built once per factory,
 * and its subject is {@link #ISSUER_DN}, so a PKIX validator with it as trust anchor accepts every
 * certificate. Names are encoded most significant RDN first ({@code O}, {@code OU}, {@code CN}),
 * so that their RFC 2253 rendering, which lists the RDNs in reverse, is the row's
 * {@code CN=...,OU=...,O=...} string. Thread-safe.
 */
final class CertificateFactory {

    static final String ISSUER_DN = "CN=KMS Gate Test CA,OU=Key Management,O=KMS Gate";
    private static final int SIGNING_KEY_POOL = 64;
    /** The CA's validity covers every generated certificate (2005 to 2010) with room to spare. */
    private static final Instant CA_NOT_BEFORE = Instant.parse("2004-01-01T00:00:00Z");
    private static final Instant CA_NOT_AFTER = Instant.parse("2049-12-31T23:59:59Z");

    private static final AlgorithmIdentifier ED25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519);
    private static final AlgorithmIdentifier X25519 = new AlgorithmIdentifier(EdECObjectIdentifiers.id_X25519);
    private static final Extensions SIGNING_EXTENSIONS = keyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation);
    private static final Extensions ENCRYPTION_EXTENSIONS = keyUsage(KeyUsage.keyAgreement);

    private static final byte[] SIGNATURE_ALGORITHM = encoded(ED25519);

    private static final X500Name ISSUER = name("KMS Gate", "Key Management", "KMS Gate Test CA");

    private final Ed25519PrivateKeyParameters caKey;
    private final byte[] caCertificate;
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
        this.caCertificate = selfSigned();
    }

    /** The DER of the CA certificate that issued every certificate of this seed. */
    byte[] caCertificate() {
        return caCertificate.clone();
    }

    private byte[] selfSigned() {
        byte[] publicKey = caKey.generatePublicKey().getEncoded();
        try {
            byte[] keyId = MessageDigest.getInstance("SHA-1").digest(publicKey);
            Extensions extensions = new Extensions(new Extension[] {
                    new Extension(Extension.basicConstraints, true, new DEROctetString(new BasicConstraints(true))),
                    new Extension(Extension.keyUsage, true, new DEROctetString(new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))),
                    new Extension(Extension.subjectKeyIdentifier, false, new DEROctetString(new SubjectKeyIdentifier(keyId)))});
            return signed(BigInteger.ONE, ISSUER, new SubjectPublicKeyInfo(ED25519, publicKey), extensions, CA_NOT_BEFORE, CA_NOT_AFTER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every Java platform", e);
        }
    }

    private static byte[] encoded(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Extensions keyUsage(int usage) {
        try {
            return new Extensions(new Extension(Extension.keyUsage, true, new DEROctetString(new KeyUsage(usage))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A subject, encoded {@code O}, {@code OU}, {@code CN}: its RFC 2253 name is {@link #subjectDn}. */
    static X500Name subject(String commonName, int site) {
        return name("KMS Gate", "Site " + site, commonName);
    }

    /**
     * The subject DN as the KMS50 row stores it: the RFC 2253 rendering of {@link #subject}, built as
     * text (no name generated here needs escaping).
     */
    static String subjectDn(String commonName, int site) {
        return "CN=" + commonName + ",OU=Site " + site + ",O=KMS Gate";
    }

    /** A name from its RDNs, most significant first (built, not parsed: the same DER, a fifth of the garbage). */
    private static X500Name name(String organization, String unit, String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, organization).addRDN(BCStyle.OU, unit)
                .addRDN(BCStyle.CN, commonName).build();
    }

    byte[] certificate(BigInteger serial, X500Name subject, char usage, Instant notBefore, Instant notAfter, long index) {
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
        int addresses = alternativeAddresses(index);
        if (addresses > 0) {
            extensions = withAlternativeNames(extensions, index, addresses);
        }
        return signed(serial, subject, publicKey, extensions, notBefore, notAfter);
    }

    /**
     * How many e-mail addresses the subject alternative names of certificate {@code index} list, so
     * that some certificates are as large as those of users with many mailboxes: 1,000 (about 45 KiB)
     * for certificate 6 and every 4,099th, 30 (about 1.5 KiB) for every 29th, none otherwise.
     */
    static int alternativeAddresses(long index) {
        if (index == 6 || Math.floorMod(index, 4099L) == 0) {
            return 1000;
        }
        return Math.floorMod(index, 29L) == 0 ? 30 : 0;
    }

    private static Extensions withAlternativeNames(Extensions extensions, long index, int addresses) {
        GeneralName[] names = new GeneralName[addresses];
        for (int i = 0; i < addresses; i++) {
            names[i] = new GeneralName(GeneralName.rfc822Name, "mailbox-" + i + ".certificate-" + Math.abs(index) + "@kms-gate.example");
        }
        try {
            Extension[] all = new Extension[extensions.getExtensionOIDs().length + 1];
            int at = 0;
            for (var oid : extensions.getExtensionOIDs()) {
                all[at++] = extensions.getExtension(oid);
            }
            all[at] = new Extension(Extension.subjectAlternativeName, false, new DEROctetString(new GeneralNames(names)));
            return new Extensions(all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A certificate issued by the CA, signed with its key. */
    private byte[] signed(BigInteger serial, X500Name subject, SubjectPublicKeyInfo publicKey, Extensions extensions,
                          Instant notBefore, Instant notAfter) {
        V3TBSCertificateGenerator tbsGenerator = new V3TBSCertificateGenerator();
        tbsGenerator.setSerialNumber(new ASN1Integer(serial));
        tbsGenerator.setSignature(ED25519);
        tbsGenerator.setIssuer(ISSUER);
        tbsGenerator.setStartDate(time(notBefore));
        tbsGenerator.setEndDate(time(notAfter));
        tbsGenerator.setSubject(subject);
        tbsGenerator.setSubjectPublicKeyInfo(publicKey);
        tbsGenerator.setExtensions(extensions);
        TBSCertificate tbs = tbsGenerator.generateTBSCertificate();
        try {
            byte[] tbsDer = tbs.getEncoded(ASN1Encoding.DER);
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, caKey);
            signer.update(tbsDer, 0, tbsDer.length);
            byte[] signature = new DERBitString(signer.generateSignature()).getEncoded(ASN1Encoding.DER);
            // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }, with the
            // DER of the signed TBSCertificate reused rather than encoded a second time
            return sequence(tbsDer, SIGNATURE_ALGORITHM, signature);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An X.509 {@code Time}: UTCTime for 1950 to 2049, as RFC 5280 requires and as
     * {@code new Time(Date)} encodes it, without the {@code SimpleDateFormat} it creates on every
     * call, much of the garbage of building a certificate (docs/performance.md, second round);
     * GeneralizedTime otherwise.
     */
    static Time time(Instant instant) {
        LocalDateTime utc = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
        if (utc.getYear() < 1950 || utc.getYear() > 2049) {
            return new Time(Date.from(instant));
        }
        byte[] der = new byte[15];
        der[0] = 0x17; // UTCTime, YYMMDDhhmmssZ
        der[1] = 13;
        int at = 2;
        for (int field : new int[] {utc.getYear() % 100, utc.getMonthValue(), utc.getDayOfMonth(), utc.getHour(), utc.getMinute(), utc.getSecond()}) {
            der[at++] = (byte) ('0' + field / 10);
            der[at++] = (byte) ('0' + field % 10);
        }
        der[at] = 'Z';
        return new Time(ASN1UTCTime.getInstance(der));
    }

    /** The DER of a SEQUENCE of the given DER elements. */
    static byte[] sequence(byte[]... elements) {
        int length = 0;
        for (byte[] element : elements) {
            length += element.length;
        }
        int lengthBytes = length < 0x80 ? 0 : (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
        byte[] der = new byte[2 + lengthBytes + length];
        der[0] = 0x30;
        int at = 1;
        if (lengthBytes == 0) {
            der[at++] = (byte) length;
        } else {
            der[at++] = (byte) (0x80 | lengthBytes);
            for (int shift = 8 * (lengthBytes - 1); shift >= 0; shift -= 8) {
                der[at++] = (byte) (length >>> shift);
            }
        }
        for (byte[] element : elements) {
            System.arraycopy(element, 0, der, at, element.length);
            at += element.length;
        }
        return der;
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
