package io.github.fastgn.spark;

/**
 * The uid of a Params object under construction. Spark's Scala parameter traits create their
 * parameters (named after {@code uid()}) while the superclass is being constructed, before a Java
 * subclass can assign its uid field; the constructor hands its uid over through this thread-local
 * first ({@link #begin}), {@code uid()} reads it until the field is set, and {@link #end} clears it.
 */
final class Uids {

    private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

    private Uids() {
    }

    /** Records {@code uid} for the constructor about to run; returns it. */
    static String begin(String uid) {
        if (uid == null || uid.isEmpty()) {
            throw new IllegalArgumentException("uid must not be empty");
        }
        PENDING.set(uid);
        return uid;
    }

    /** The uid of the object under construction on this thread. */
    static String pending() {
        return PENDING.get();
    }

    static void end() {
        PENDING.remove();
    }
}
