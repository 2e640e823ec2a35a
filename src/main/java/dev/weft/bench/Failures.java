package dev.weft.bench;

import dev.weft.tls.TlsException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** Failures by code (TlsException.code(), else the exception's class), and the first one with its message. */
final class Failures {
    private final Map<String, LongAdder> byCode = new ConcurrentHashMap<>();
    private final AtomicReference<String> first = new AtomicReference<>();
    private final LongAdder total = new LongAdder();

    void add(Throwable e) {
        String code = e instanceof TlsException t ? t.code() : e.getClass().getSimpleName();
        total.increment();
        if (byCode.size() < 16 || byCode.containsKey(code)) {
            byCode.computeIfAbsent(code, k -> new LongAdder()).increment();
        }
        first.compareAndSet(null, code + ": " + e.getMessage());
    }

    long count() {
        return total.sum();
    }

    String first() {
        return first.get();
    }

    void putInto(Map<String, Object> result) {
        result.put("failures", total.sum());
        if (first.get() != null) {
            result.put("first_error", first.get().substring(0, first.get().indexOf(':')));
            result.put("first_error_message", first.get());
            Map<String, Object> codes = new LinkedHashMap<>();
            byCode.entrySet().stream().sorted(Map.Entry.comparingByKey())
                    .forEach(en -> codes.put(en.getKey(), en.getValue().sum()));
            result.put("error_kinds", codes); // the Go harness's name; its "errors" count is "failures"
        }
    }
}
