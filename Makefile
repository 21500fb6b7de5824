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

.PHONY: help build control-plane unit test run bench stress deploy undeploy clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## compile and package the jars (no tests)
	$(MVN) -q package -DskipTests

control-plane: ## build and cache kube-apiserver and etcd (Debian packages, offline; once)
	bash .ci/install-control-plane.sh >/dev/null

unit: ## fast unit tests only
	$(MVN) test

test: control-plane ## every test: unit, HTTPS, end-to-end against a real kube-apiserver
	$(MVN) verify

run: control-plane build ## the whole stack on this machine: kube-apiserver, etcd, webhook, controller; Ctrl-C stops it
	java -cp "$(LOCALSTACK_CP)" io.milvus.upgrade.localstack.LocalStackMain

bench: build ## latency, throughput, start-up and memory of the real server, and JMH (about 5 minutes; target/bench/)
	bash .ci/bench.sh

stress: build ## the real server under hostile clients and a rolling restart behind haproxy, 127.0.0.1 only (about 6 minutes; target/stress/)
	bash .ci/stress.sh

deploy: ## install CRDs, RBAC, webhook and controller into the cluster of the current kubeconfig
	kubectl apply -k manifests/

unstress: build ## the real server under hostile clients and a rolling restart behind haproxy, 127.0.0.1 only (about 6 minutes; target/stress/)
	bash .ci/stress.sh

deploy: ## remove what deploy installed (Milvus and MilvusUpgrade objects go with their CRDs)
	kubectl delete -k manifests/ --ignore-not-found

clean: ## remove build output
	$(MVN) -q clean
