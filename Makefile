# Entry points for people and CI. The build picks its own JDK: Temurin 25 from /usr/lib/jvm.
SHELL := /bin/bash
.DEFAULT_GOAL := help

JDK_DIR := $(firstword $(wildcard /usr/lib/jvm/temurin-25-jdk*))
ifeq ($(JDK_DIR),)
$(error No JDK 25 found under /usr/lib/jvm (expected temurin-25-jdk-*): install Temurin 25 there)
endif
export JAVA_HOME := $(JDK_DIR)
export PATH := $(JDK_DIR)/bin:$(PATH)
# Maven 3.8's Guice still touches sun.misc.Unsafe; on JDK 25 that only prints noise.
export MAVEN_OPTS := --sun-misc-unsafe-memory-access=allow $(MAVEN_OPTS)
MVN := mvn -B -ntp

LOCALSTACK_CP = $$(cat localstack/target/classpath.txt):localstack/target/classes

# The pinned versions (NAME=value lines, valid make too): the control plane's kubectl, of the
# apiserver's release, comes first on PATH for the tests and make run.
include .ci/versions.env
CONTROL_PLANE_BIN := $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/milvus-upgrade/control-plane/$(KUBERNETES_VERSION)/bin

.PHONY: help build control-plane unit test run bench bench-scale stress fuzz deploy undeploy clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

# Rebuilt only when a pom or a source file is newer than the jars, so that a second `make build`
# (the README has several) costs nothing.
JARS := webhook/target/milvus-webhook.jar controller/target/milvus-upgrade-controller.jar
SOURCES := $(shell find pom.xml */pom.xml */src -type f 2>/dev/null)

build: $(JARS) ## compile and package the jars (no tests)

$(JARS) &: $(SOURCES)
	@echo "make build: compiling and packaging the jars (1 to 2 minutes on 2 cores; quiet unless something fails)"
	@start=$$SECONDS; $(MVN) -q package -DskipTests && touch $(JARS) && echo "make build: done in $$((SECONDS - start)) s"

control-plane: ## build and cache kube-apiserver, etcd and kubectl, Milvus Operator with an S3 store, and helm (Go modules at the versions in .ci/versions.env; once, then cached)
	@bash .ci/install-control-plane.sh >/dev/null
	@bash .ci/install-operator.sh >/dev/null
	@bash .ci/install-helm.sh >/dev/null

test run bench-scale: export PATH := $(CONTROL_PLANE_BIN):$(PATH)

unit: ## fast unit tests only
	$(MVN) test

test: control-plane ## every test: unit, HTTPS, end-to-end against a real kube-apiserver
	@echo "make test: unit and HTTPS tests module by module, then the end-to-end tests against a real kube-apiserver (warm: about 18 minutes on 2 cores, 1,113 tests; the real operator, helm and make run scenarios are the longest)"
	@start=$$SECONDS; $(MVN) verify; rc=$$?; \
	  echo "make test: $$([ $$rc = 0 ] && echo passed || echo FAILED) in $$((SECONDS - start)) s"; exit $$rc

run: control-plane build ## the whole stack on this machine: kube-apiserver, etcd, webhook, controller; Ctrl-C stops it
	@echo "make run: kube-apiserver and kubectl $(KUBERNETES_VERSION), etcd $(ETCD_VERSION); kubectl: $(CONTROL_PLANE_BIN)/kubectl"
	java -cp "$(LOCALSTACK_CP)" io.milvus.upgrade.localstack.LocalStackMain

bench: build ## latency, throughput, start-up and memory of the real server beside the Go peer and Milvus Operator's webhook, and JMH (about 8 minutes; target/bench/)
	@bash .ci/bench.sh

# N Milvus each with a MilvusUpgrade on a fresh apiserver per N; SIZES="100 1000 3000" by default.
SIZES ?= 100 1000 3000
# MATCH_CONDITIONS=off registers the webhook configurations without them (as below Kubernetes 1.30), for the comparison.
MATCH_CONDITIONS ?= on
bench-scale: control-plane build ## N = 100, 1,000, 3,000 upgrades on the real apiserver with the simulated kubelet: time, reviews, reconciles, memory (target/bench-scale/)
	java -cp "$(LOCALSTACK_CP)" io.milvus.upgrade.localstack.ScaleBench $(SIZES) $(if $(filter off,$(MATCH_CONDITIONS)),--without-match-conditions)

stress: build ## the real server under hostile clients and a rolling restart behind haproxy, 127.0.0.1 only (about 6 minutes; target/stress/)
	bash .ci/stress.sh

fuzz: build ## malformed and oversized reviews on every review path of the real server at the Deployment's heap, 127.0.0.1 only (PER_ENDPOINT=1600: about 10 minutes; target/fuzz/)
	bash .ci/fuzz.sh

# with-operator (next to Milvus Operator), guard-only, or standalone (no operator): README, "Next to Milvus Operator".
PROFILE ?= with-operator
# self-managed (the webhook keeps its own CA), or cert-manager (manifests/overlays/cert-manager/PROFILE).
CERTS ?= self-managed
PROFILE_DIR = $(if $(filter cert-manager,$(CERTS)),manifests/overlays/cert-manager/$(PROFILE),manifests/profiles/$(PROFILE))

# Server-side apply under one field manager: it refuses to take over a field another manager set
# to a different value, so applying the standalone profile over Milvus Operator's CRDs fails with
# a conflict instead of replacing them. The CRDs are tried first, as a server-side dry run, so that
# such a conflict stops the install before anything else of it exists.
APPLY := kubectl apply --server-side --field-manager=milvus-upgrade

deploy: ## install a profile (PROFILE=with-operator|guard-only|standalone|policy-only, CERTS=self-managed|cert-manager) into the cluster of the current kubeconfig
ifeq ($(PROFILE),standalone)
	@$(APPLY) --dry-run=server -k manifests/crd >/dev/null || { echo "make deploy: nothing installed: kubectl refused the standalone profile's CRDs (above); where Milvus Operator's CRDs exist, use PROFILE=with-operator or guard-only" >&2; exit 1; }
endif
	$(APPLY) -k $(PROFILE_DIR)

# Never a CRD: only objects labelled part-of=milvus-upgrade, which no CRD carries, so every Milvus
# and MilvusUpgrade stays. Then the webhook configurations the webhook registered: its Service is
# gone by then, so no replica still shutting down registers them again (their owner, the
# ClusterRole deleted in the first step, would also have the garbage collector remove them, and a
# running replica removes them itself once the Service is gone). Best effort: an error in the
# first step (say, a kind this cluster does not serve) still lets the second run.
undeploy: ## remove what deploy installed, except CRDs: every Milvus and MilvusUpgrade object stays
	-kubectl delete -k $(PROFILE_DIR) -l app.kubernetes.io/part-of=milvus-upgrade --ignore-not-found --wait=false
	kubectl delete mutatingwebhookconfigurations,validatingwebhookconfigurations -l app.kubernetes.io/managed-by=milvus-upgrade-webhook --ignore-not-found

clean: ## remove build output
	$(MVN) -q clean
