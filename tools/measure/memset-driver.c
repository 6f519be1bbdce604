/* Calls memset once on a 16-aligned buffer (SIZE bytes), then exits through the Linux EABI
 * exit call, so that qemu-arm can run the Thumb code as a user-mode process and count the
 * instructions executed inside memset. */
#include <stddef.h>

void *memset(void *, int, size_t);

static unsigned char buffer[512] __attribute__((aligned(16)));

void _start(void) {
  memset(buffer, 0x5a, SIZE);
  __asm__ volatile("movs r0, #0\n movs r7, #1\n svc #0" ::: "r0", "r7");
  for (;;) {
  }
}
