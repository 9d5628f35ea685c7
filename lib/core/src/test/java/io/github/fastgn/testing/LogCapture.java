package io.github.fastgn.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** The records a piece of code logs, for tests that assert what the library reports. */
public final class LogCapture {

    private LogCapture() {
    }

    /** The records at WARNING or above that {@code body} logs on {@code logger}; its result goes to {@code out}. */
    public static <T> List<LogRecord> warnings(String logger, List<T> out, Supplier<T> body) {
        List<LogRecord> records = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger log = Logger.getLogger(logger);
        log.addHandler(capture);
        try {
            out.add(body.get());
        } finally {
            log.removeHandler(capture);
        }
        return records;
    }
}
