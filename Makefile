# Makefile — the one entry point: build, run, test, bench, lint, install.
# Every dependency comes through pkg-config; `make deps` apt-installs only what
# pkg-config (or the PATH) cannot find. Sources are picked up by wildcard per
# folder, so a new .c file needs no edit here.
#
#   make            release build into build/release
#   make run        the demo: hub + enrolled kiosk + sync agent (see README)
#   make test       ASan+UBSan build into build/asan, then every test
#   make bench      release build, benchmarks, figures into docs/BENCHMARKS.md
#   make lint       cppcheck, clang-tidy, the banned-function gate, shellcheck
#   make test-provisioning  slow: install scripts in a debootstrap root (docs/DEPLOY.md)
#   make install    PREFIX=/usr/local DESTDIR=

PREFIX  ?= /usr/local
DESTDIR ?=
MODE    ?= release
BUILD   ?= build/$(MODE)
CC      ?= cc
JOBS    ?= $(shell nproc 2>/dev/null || echo 1)   # parallel compiles in make test / bench

PKGS := sdl2 SDL2_ttf SDL2_image libnfc sqlite3 libcurl libmicrohttpd jansson libsodium libpq \
        libqrencode cairo cairo-ft harfbuzz freetype2
PKGS += libzip expat   # xlsx import (sync/common/xlsx.c)
# the kiosk's chime (kiosk/sound.c): alsa-lib, linked into the kiosk (and the
# test programs that link every library), not into the hub or the agent
KIOSK_PKGS := alsa

WARN   := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla -Wstrict-prototypes \
          -Wmissing-prototypes -Wno-missing-field-initializers
CSTD   := -std=c11 -D_DEFAULT_SOURCE -D_GNU_SOURCE
INCS   := -Isync/common -Isync -Ikiosk -Ikiosk/store
DATADIR_DEFAULT ?= $(PREFIX)/share/presentie

ifeq ($(MODE),asan)
  OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
         -fno-sanitize-recover=undefined -DPRESENTIE_DEBUG=1
  LDOPT := -fsanitize=address,undefined
else ifeq ($(MODE),fuzz)
  CC  := clang
  OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -DPRESENTIE_DEBUG=1
  LDOPT := -fsanitize=address,undefined
else
  OPT := -O2 -g
  LDOPT :=
endif

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS   ?=
LDFLAGS  ?=
ALL_CFLAGS  = $(CSTD) $(WARN) $(OPT) $(INCS) $(PKG_CFLAGS) -pthread -MMD -MP \
              -DPRESENTIE_DATADIR='"$(DATADIR_DEFAULT)"' $(CFLAGS)
KIOSK_CFLAGS = $(shell pkg-config --cflags $(KIOSK_PKGS) 2>/dev/null)
ALL_CFLAGS += $(KIOSK_CFLAGS)
ALL_LDFLAGS = $(LDOPT) -pthread $(LDFLAGS)
LIBS        = $(PKG_LIBS) -lm
KIOSK_LIBS  = $(shell pkg-config --libs $(KIOSK_PKGS) 2>/dev/null)

# --- sources ---------------------------------------------------------------
COMMON_SRC := $(wildcard sync/common/*.c)
# The kiosk store (schema, migrations, every statement) is one library that
# both the kiosk and the sync agent link: one owner of the database.
STORE_SRC  := $(wildcard kiosk/store/*.c)
# The check-in rules (pure: no SDL, SQLite or clock) are a library of their
# own that the kiosk and the hub both link: the hub re-decides taps whose
# clock was wrong with the very same code (svc/reeval.c, docs/ARCHITECTURE.md).
RULES_SRC  := kiosk/rules.c
KIOSK_SRC  := $(filter-out kiosk/main.c $(RULES_SRC),$(wildcard kiosk/*.c kiosk/ui/*.c))
AGENT_SRC  := $(filter-out sync/agent/main.c,$(wildcard sync/agent/*.c))
# The hub lives in rooms (docs/ARCHITECTURE.md): sync/hub/{base,db,svc,reports,
# http,api,dash,cli}; tests/lint.sh checks that their includes point one way.
HUB_ROOMS  := base db svc reports http api dash cli
HUB_MAIN   := sync/hub/cli/main.c
HUB_SRC    := $(filter-out $(HUB_MAIN),$(foreach r,$(HUB_ROOMS),$(wildcard sync/hub/$(r)/*.c)))
# The dashboard's static files (sync/hub/dash/web) become one generated C file
# in the hub library (sync/hub/dash/web-embed.sh): no second server, nothing to install.
WEB_FILES  := $(sort $(shell find sync/hub/dash/web -type f 2>/dev/null))
WEB_GEN    := $(BUILD)/gen/dash_assets.c
HUB_SRC    += $(if $(WEB_FILES),$(WEB_GEN))
EMU_SRC    := $(wildcard tests/pn532emu/*.c)
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
BENCH_SRC  := $(wildcard tests/bench/*.c)

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_LIB := $(BUILD)/libpresentie-common.a
STORE_LIB  := $(BUILD)/libpresentie-store.a
RULES_LIB  := $(BUILD)/libpresentie-rules.a
KIOSK_LIB  := $(BUILD)/libpresentie-kiosk.a
AGENT_LIB  := $(BUILD)/libpresentie-agent.a
HUB_LIB    := $(BUILD)/libpresentie-hub.a
ALL_LIBS    = $(KIOSK_LIB) $(AGENT_LIB) $(HUB_LIB) $(STORE_LIB) $(RULES_LIB) $(COMMON_LIB)

KIOSK_BIN := $(BUILD)/presentie-kiosk
AGENT_BIN := $(BUILD)/presentie-sync
HUB_BIN   := $(BUILD)/presentie-hub
EMU_BIN   := $(if $(EMU_SRC),$(BUILD)/pn532-emu)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
BENCH_BINS:= $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRC))

PROGRAMS := $(if $(wildcard kiosk/main.c),$(KIOSK_BIN)) $(if $(wildcard sync/agent/main.c),$(AGENT_BIN)) \
            $(if $(wildcard $(HUB_MAIN)),$(HUB_BIN))

.PHONY: all deps programs tests run test bench lint install uninstall clean locales
all: deps programs locales

deps:
	@bash provisioning/deps.sh build

programs: $(PROGRAMS) $(EMU_BIN)
tests: programs $(UNIT_BINS) $(BENCH_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(WEB_GEN): $(WEB_FILES) sync/hub/dash/web-embed.sh
	@mkdir -p $(dir $@)
	sh sync/hub/dash/web-embed.sh $@ sync/hub/dash/web $(WEB_FILES)

define mklib
$(1): $(call obj,$(2))
	@mkdir -p $$(dir $$@)
	@rm -f $$@
	$$(AR) rcs $$@ $$^
endef
$(eval $(call mklib,$(COMMON_LIB),$(COMMON_SRC)))
$(eval $(call mklib,$(STORE_LIB),$(STORE_SRC)))
$(eval $(call mklib,$(RULES_LIB),$(RULES_SRC)))
$(eval $(call mklib,$(KIOSK_LIB),$(KIOSK_SRC)))
$(eval $(call mklib,$(AGENT_LIB),$(AGENT_SRC)))
$(eval $(call mklib,$(HUB_LIB),$(HUB_SRC)))

$(KIOSK_BIN): $(call obj,kiosk/main.c) $(KIOSK_LIB) $(STORE_LIB) $(RULES_LIB) $(COMMON_LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(KIOSK_LIBS)
$(AGENT_BIN): $(call obj,sync/agent/main.c) $(AGENT_LIB) $(STORE_LIB) $(COMMON_LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
$(HUB_BIN): $(call obj,$(HUB_MAIN)) $(HUB_LIB) $(RULES_LIB) $(COMMON_LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
$(BUILD)/pn532-emu: $(call obj,$(EMU_SRC)) $(COMMON_LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lutil
$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ALL_LIBS) $(LIBS) $(KIOSK_LIBS) $(shell pkg-config --libs cmocka) -lutil
$(BUILD)/bench/%: $(BUILD)/obj/tests/bench/%.o $(ALL_LIBS)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(ALL_LIBS) $(LIBS) $(KIOSK_LIBS) -lutil

# Translations: PO files are the source; the kiosk reads them directly
# (see kiosk/i18n.c for why not libintl). msgfmt --check validates them.
locales:
	@for po in assets/i18n/*.po; do [ -f "$$po" ] || continue; \
	  msgfmt --check -o /dev/null "$$po" || exit 1; done

# --- the two commands of the README ----------------------------------------
run:
	@bash provisioning/deps.sh run
	@$(MAKE) --no-print-directory all
	@bash provisioning/run-demo.sh $(BUILD)

test:
	@bash provisioning/deps.sh test
	@$(MAKE) --no-print-directory -j$(JOBS) MODE=asan locales tests
	@$(MAKE) --no-print-directory -j$(JOBS) MODE=release programs
	@bash tests/run.sh build/asan

bench:
	@bash provisioning/deps.sh bench
	@$(MAKE) --no-print-directory -j$(JOBS) MODE=release tests
	@bash tests/bench/run.sh build/release

lint:
	@bash provisioning/deps.sh lint
	@bash tests/lint.sh

test-provisioning:
	@bash provisioning/deps.sh test
	@bash tests/provisioning/run.sh

# --- install -----------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(DATADIR_DEFAULT)
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(PREFIX)/bin/
	cp -R assets/. $(DESTDIR)$(DATADIR_DEFAULT)/
uninstall:
	rm -f $(addprefix $(DESTDIR)$(PREFIX)/bin/,$(notdir $(PROGRAMS)))
	rm -rf $(DESTDIR)$(DATADIR_DEFAULT)

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
