/* tools/wasmrun/host_ops.h: malloc-backed VM hooks for the host tools. */
#ifndef HOST_OPS_H
#define HOST_OPS_H

#include <vm/vm.h>

extern const struct vm_host_ops host_ops;

#endif
