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

WEBHOOK_JAR := webhook/target/milvus-webhook.jar
RUN_DIR := $(CURDIR)/target/run

.PHONY: help build test unit run clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

build: ## compile and package the jars (no tests)
	$(MVN) -q package -DskipTests

unit: ## fast unit tests only
	$(MVN) test

test: ## every test: unit, HTTPS, end-to-end
	$(MVN) verify

run: build ## start the webhook server on https://127.0.0.1:9443 with generated certificates
	@mkdir -p $(RUN_DIR)/tls
	java -jar $(WEBHOOK_JAR) serve --port 9443 --bind 127.0.0.1 --tls-dir $(RUN_DIR)/tls

clean: ## remove build output
	$(MVN) -q clean
