package io.milvus.upgrade.config;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.util.function.UnaryOperator;

/**
 * An informer's store that keeps each object as {@code trim} leaves it: what its reader never
 * looks at goes before the object is cached. The trim may change the object in place: the
 * informer hands each one to the store alone.
 */
public final class TrimmingStore<T extends HasMetadata> extends BasicItemStore<T> {

    private final UnaryOperator<T> trim;

    public TrimmingStore(UnaryOperator<T> trim) {
        super(Cache::metaNamespaceKeyFunc);
        this.trim = trim;
    }

    /** Managed fields: several managers (the operator, kubectl, us) make them a large part of an object, and no rule or reconcile reads them. */
    public static <T extends HasMetadata> TrimmingStore<T> withoutManagedFields() {
        return new TrimmingStore<>(object -> {
            object.getMetadata().setManagedFields(null);
            return object;
        });
    }

    @Override
    public T put(String key, T object) {
        return super.put(key, trim.apply(object));
    }
}
