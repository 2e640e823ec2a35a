package dev.weft.tls.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The accounting of {@link Turns}; how evenly a server shares its cores is measured by conformance/fair/run. */
class TurnsTest {
    @Test
    void bytesAddUpUntilATurn() {
        assertEquals(70_000, Turns.take(0, 70_000, true));
        assertEquals(Turns.TURN_BYTES - 1, Turns.take(Turns.TURN_BYTES - 70_001, 70_000, true));
    }

    @Test
    void aBusyTransferPastTheBudgetStartsAgain() {
        assertEquals(0, Turns.take(Turns.TURN_BYTES - 10, 70_000, true));
    }

    @Test
    void aQuietTransferNeverTakesATurnAndTheCountStopsAtTheBudget() {
        // a read that emptied the kernel's queue: the connection is about to wait anyway
        assertEquals(Turns.TURN_BYTES, Turns.take(Turns.TURN_BYTES - 10, 64, false));
        assertEquals(Turns.TURN_BYTES, Turns.take(Turns.TURN_BYTES, 64, false));
        assertEquals(0, Turns.take(Turns.TURN_BYTES, 64, true));
    }
}
