package dev.kmsgate.kms.convert;

import dev.kmsgate.kms.Fixtures;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shutdown hook's own work, run on the test's thread (a real signal is the forking
 * {@code robust.StopSignalTest}'s): it warns once and the converter's next check stops the run.
 */
class StopSignalHookTest {

    @Test
    void theHookWarnsAndTheNextCheckStopsTheRun() throws Exception {
        List<String> lines = new ArrayList<>();
        StopSignal signal = StopSignal.install(Fixtures.logTo(lines), "the target");
        signal.check(); // nothing requested: the run goes on
        Thread hook = hook(signal);
        signal.close(); // unregisters the hook and lets it return at once
        assertFalse(Runtime.getRuntime().removeShutdownHook(hook), "close() left the hook registered");
        hook.run();

        assertEquals(List.of("Stop requested (Ctrl-C or a termination signal): the conversion into the target stops after the chunk "
                + "it is writing."), lines);
        StopSignal.Stopped stopped = assertThrows(StopSignal.Stopped.class, signal::check);
        assertEquals("stopped by a shutdown signal between two transactions", stopped.getMessage());
    }

    @Test
    void installRegistersTheHook() throws Exception {
        StopSignal signal = StopSignal.install(Fixtures.logTo(new ArrayList<>()), "the target");
        assertTrue(Runtime.getRuntime().removeShutdownHook(hook(signal)), "install() registered no hook");
        signal.close();
    }

    private static Thread hook(StopSignal signal) throws Exception {
        Field field = StopSignal.class.getDeclaredField("hook");
        field.setAccessible(true);
        return (Thread) field.get(signal);
    }
}
