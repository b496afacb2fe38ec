package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.store.FileClaim;

import java.nio.file.Path;

/** A child JVM that claims its first lock file, says so, then claims the second while it holds the first. */
public final class ClaimBothMain {

    static final String HOLDING = "HOLDING";
    static final String BOTH = "BOTH";

    private ClaimBothMain() {
    }

    public static void main(String[] args) {
        try (FileClaim first = FileClaim.claim(Path.of(args[0]))) {
            System.out.println(HOLDING);
            System.out.flush();
            try (FileClaim second = FileClaim.claim(Path.of(args[1]))) {
                System.out.println(BOTH);
                System.out.flush();
            }
        }
    }
}
