package io.milvus.upgrade.cluster;

/** The outcome of reading something from the cluster. */
public sealed interface Lookup<T> {

    record Found<T>(T value) implements Lookup<T> {
    }

    record NotFound<T>() implements Lookup<T> {
    }

    /** Could not tell: no connection, no permission, or no answer in time. */
    record Unavailable<T>(String reason) implements Lookup<T> {
    }
}
