/* The hand-written copy and fill loops of the `c-byte-loop` and `c-word-loop` libc models.
 * Compile with -DBYTE_LOOP or -DWORD_LOOP and -fno-builtin -fno-tree-loop-distribute-patterns
 * (else GCC turns the loops back into calls of memcpy / memset). */
#include <stddef.h>
#include <stdint.h>

#if defined(BYTE_LOOP)
void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *dp = d;
  const uint8_t *sp = s;
  while (n--) *dp++ = *sp++;
  return d;
}
void *memset(void *d, int c, size_t n) {
  uint8_t *dp = d;
  while (n--) *dp++ = (uint8_t)c;
  return d;
}
#elif defined(WORD_LOOP)
void *memcpy(void *d, const void *s, size_t n) {
  uint8_t *dp = d;
  const uint8_t *sp = s;
  if ((((uintptr_t)dp | (uintptr_t)sp) & 3u) == 0) {
    for (; n >= 4; n -= 4, dp += 4, sp += 4) *(uint32_t *)dp = *(const uint32_t *)sp;
  }
  while (n--) *dp++ = *sp++;
  return d;
}
void *memset(void *d, int c, size_t n) {
  uint8_t *dp = d;
  uint32_t w = (uint8_t)c * 0x01010101u;
  if (((uintptr_t)dp & 3u) == 0) {
    for (; n >= 4; n -= 4, dp += 4) *(uint32_t *)dp = w;
  }
  while (n--) *dp++ = (uint8_t)c;
  return d;
}
#else
#error "define BYTE_LOOP or WORD_LOOP"
#endif
