/* model_check.h - health checkers inside a real_server. */
#ifndef VIGIL_CONF_MODEL_CHECK_H
#define VIGIL_CONF_MODEL_CHECK_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "list.h"

struct checker {
	struct node node;
};

#endif
