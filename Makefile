# civstat: one plain Makefile.  `make run` and `make test` are the two
# commands of the README; `make SANITIZE=address,undefined test` runs the
# suite under the sanitizers in a build directory of its own.

CC      ?= cc
VERSION := 0.1.0
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wwrite-strings -Wvla -Wformat=2 -Werror
OPT     ?= -O2 -g
CFLAGS  += $(WARN) $(OPT) -D_GNU_SOURCE -DCS_VERSION='"$(VERSION)"' -Isrc \
           -pthread -MMD -MP
# libpq from pkg-config, or where Debian's libpq-dev puts it.
PQ_CFLAGS := $(shell pkg-config --cflags libpq 2>/dev/null || echo -I/usr/include/postgresql)
PQ_LIBS   := $(shell pkg-config --libs libpq 2>/dev/null || echo -lpq)
CFLAGS  += $(PQ_CFLAGS)
LDLIBS  += -lsqlite3 $(PQ_LIBS) -ljansson -lsodium -lmicrohttpd -lxlsxwriter -lz -lm -pthread

ifdef SANITIZE
BUILD   ?= build-san
CFLAGS  += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all \
           -DCS_SANITIZE
LDFLAGS += -fsanitize=$(SANITIZE)
OPT     := -O1 -g
else
BUILD   ?= build
endif

# Quiet build lines as git prints them; make V=1 shows the commands.
ifneq ($(V),1)
QUIET_CC   = @echo '   CC     $@';
QUIET_AR   = @echo '   AR     $@';
QUIET_LINK = @echo '   LINK   $@';
endif

LIB_SRC  := $(sort $(wildcard src/core/*.c src/store/*.c src/domain/*.c src/analytics/*.c \
                          src/api/*.c))
CLI_SRC  := $(sort $(wildcard src/cli/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
LIB      := $(BUILD)/libcivstat.a
BIN      := $(BUILD)/civstat

DEMO_DB  ?= demo.db

.PHONY: all deps run test unit cli-test api-test pg-test ui ui-test reference-test sanitize-test bench fuzz clean format
.DEFAULT_GOAL := all

all: $(BIN)

deps:
	@sh scripts/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(QUIET_CC)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(QUIET_AR)ar rcs $@ $^

$(BIN): $(CLI_OBJ) $(LIB)
	$(QUIET_LINK)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(dir $@)
	$(QUIET_LINK)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS) -lcmocka

# The demo city: Jinzhou, built from the seed's figures (data/demo/).
$(DEMO_DB): $(BIN) $(wildcard data/demo/*.csv data/demo/tasks/*.csv)
	@rm -f $@ $@-wal $@-shm
	@./$(BIN) init --db $@ --demo data/demo --accounts

LISTEN ?= 127.0.0.1:8080
run: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory ui
	@$(MAKE) --no-print-directory $(DEMO_DB)
	@echo
	@./$(BIN) brief --db $(DEMO_DB)
	@echo
	@./$(BIN) serve --db $(DEMO_DB) --listen $(LISTEN) \
		$$([ -f web/dist/index.html ] && echo --static web/dist)

# The web UI (web/src) with ECharts from npm (package-lock.json) into
# web/dist, which `serve --static` serves at /.
node_modules: package-lock.json
	@npm ci --silent
	@touch $@

ui: node_modules
	@rm -rf web/dist
	@mkdir -p web/dist/vendor
	@cp -R web/src/. web/dist/
	@cp node_modules/echarts/dist/echarts.common.min.js web/dist/vendor/

unit: $(TESTS)
	@set -e; for t in $(TESTS); do echo "== $$t"; $$t; done

cli-test: $(BIN)
	@CIVSTAT=$(BIN) sh tests/cli/run.sh

# API tests: node's test runner against the real server on loopback.
api-test: $(BIN)
	@CIVSTAT=$(BIN) node --test --test-concurrency=1 tests/api/

# The store's unit tests and the CLI again on PostgreSQL: a private server
# (scripts/pg.sh) in a temporary directory on a free loopback port, stopped
# however the tests end.  The tests that read SQLite's files skip there.
# Then the API tests, each server on a database of its own on that server,
# and tests/pg: two nodes on the one server, which it stops and starts again.
PG_TESTS := $(addprefix $(BUILD)/tests/,test_store test_schema test_migrate test_audit test_auth test_import \
              test_quality test_analytics test_cube test_project test_task \
              test_project_held test_request)
pg-test: $(PG_TESTS) $(BIN)
	@dir=$$(mktemp -d /tmp/civstat-pg.XXXXXX); \
	port=$$(python3 -c 'import socket; s = socket.socket(); \
		s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'); \
	trap 'sh scripts/pg.sh stop "$$dir" $$port' EXIT; \
	trap 'exit 1' INT TERM; \
	url=$$(sh scripts/pg.sh start "$$dir" $$port) || exit 1; \
	set -e; \
	for t in $(PG_TESTS); do \
		echo "== $$t (PostgreSQL)"; CIVSTAT_TEST_PG=$$url $$t; done; \
	CIVSTAT=$(BIN) CIVSTAT_TEST_PG=$$url sh tests/cli/pg.sh; \
	echo "== tests/api (PostgreSQL)"; \
	CIVSTAT=$(BIN) CIVSTAT_TEST_PG=$$url node --test --test-concurrency=1 tests/api/; \
	echo "== tests/pg (two nodes)"; \
	CIVSTAT=$(BIN) CIVSTAT_TEST_PG=$$url CIVSTAT_TEST_PGDIR=$$dir \
		CIVSTAT_TEST_PGPORT=$$port node --test --test-concurrency=1 tests/pg/

# Browser tests: playwright-core driving Debian's chromium against the
# real server serving web/dist; screenshots in $(BUILD)/ui/.
ui-test: $(BIN) ui
	@CIVSTAT=$(BIN) node --test --test-concurrency=1 tests/ui/

# Q1-Q5 at sf=0.1 against the reference SQL run by sqlite3.
REF := $(BUILD)/reference
SHARED ?= ../shared
reference-test: $(BIN)
	@mkdir -p $(REF)
	@[ -s $(REF)/data/values.csv ] || python3 $(SHARED)/bench/gen.py --sf 0.1 --out $(REF)/data 2>/dev/null
	@sh tests/reference/reference.sh $(REF)/data $(SHARED)/bench/queries $(REF)
	@./$(BIN) bench --data $(REF)/data --db $(REF)/civstat.db --out $(REF) --repeat 1 >/dev/null
	@set -e; for q in 1 2 3 4 5; do \
		python3 tests/reference/compare.py q$$q $(REF)/q$$q.csv $(REF)/ref_q$$q.csv 1e-9; done

# The whole suite again under AddressSanitizer and UBSan.
sanitize-test:
	@$(MAKE) --no-print-directory SANITIZE=address,undefined unit cli-test api-test pg-test

test: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory unit
	@$(MAKE) --no-print-directory cli-test
	@$(MAKE) --no-print-directory api-test
	@$(MAKE) --no-print-directory pg-test
ifndef SANITIZE
	@$(MAKE) --no-print-directory ui-test
endif
	@$(MAKE) --no-print-directory reference-test
ifndef SANITIZE
	@$(MAKE) --no-print-directory sanitize-test
endif

bench: deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory ui
	@SHARED=$(SHARED) sh bench/run.sh $(BIN)

# libFuzzer targets, built with clang; FUZZ_SECONDS each.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := build-fuzz
fuzz: deps
	@sh fuzz/run.sh $(FUZZ_SECONDS)

format:
	clang-format -i $(LIB_SRC) $(CLI_SRC) $(TEST_SRC) $(FUZZ_SRC) $(wildcard src/*/*.h)

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(TESTS:=.d)
