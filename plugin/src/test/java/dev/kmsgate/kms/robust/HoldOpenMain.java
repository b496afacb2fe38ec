package dev.kmsgate.kms.robust;

import dev.kmsgate.kms.Fixtures;
import dev.kmsgate.kms.store.DatabaseAddress;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process that has databases open, as an ij session or a server would:
 * {@code HoldOpenMain <directory>...} boots each, prints {@value #HOLDING} and sleeps until killed.
 */
public final class HoldOpenMain {

    static final String HOLDING = "HOLDING";

    private HoldOpenMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Connection> open = new ArrayList<>();
        for (String directory : args) {
            DatabaseAddress address = DatabaseAddress.parse("database", directory, Path.of(".").toAbsolutePath());
            open.add(Fixtures.open(address));
        }
        System.out.println(HOLDING);
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
