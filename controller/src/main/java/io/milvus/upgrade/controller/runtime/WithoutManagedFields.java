package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;

/**
 * An informer's store that keeps each object without its managed fields, dropped in place (the
 * informer hands each object to the store alone). Nothing in the controller reads them, and an
 * update that carries none leaves the apiserver's as they are. They are a large part of an
 * object written by several managers (the operator, kubectl, us): see README, Performance, Scale.
 */
final class WithoutManagedFields<T extends HasMetadata> extends BasicItemStore<T> {

    WithoutManagedFields() {
        super(Cache::metaNamespaceKeyFunc);
    }

    @Override
    public T put(String key, T object) {
        object.getMetadata().setManagedFields(null);
        return super.put(key, object);
    }
}
