#!/bin/sh
# Fails when the engine (include/padsim/*.hpp, sim/*) names a word of the domain models. The engine
# is the layer every model builds on; a domain word there means a model's rule leaked into it.
# Usage: engine_is_domain_free.sh SOURCE_DIR
cd "$1" || exit 2
words='pads?|repairs?|missions?|launch(es|ers?)?|crews?|stations?|consumables?|propellant|soyuz|baikonur|cabin|dock(ed|ing)?|undock(ed|ing)?|pad_ready_day'
found=$(find include/padsim -maxdepth 1 -name '*.hpp'; find sim -name '*.[ch]pp')  # include/padsim/models is the models' layer
if grep -niwE "$words" $found; then
  echo "engine_is_domain_free: the lines above name the domain in the engine" >&2
  exit 1
fi
echo "engine_is_domain_free: no domain word in include/padsim/*.hpp and sim/"
