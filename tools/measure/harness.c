/*
 * Drives each path of zephyr-paths.c once, between calls of mark(), for zephyr-paths.py to
 * count under qemu-arm. The state each path needs is set up here (threads, queues, lists).
 */
#include <stdint.h>
#include <string.h>
#include <stdbool.h>

typedef struct dnode { struct dnode *next, *prev; } dnode;
struct timeout { dnode node; int32_t dticks; void (*fn)(struct timeout *); };
struct thread { dnode qnode; void *pended_on; uint8_t state; int8_t prio; int32_t swap_retval; void *swap_data; struct timeout to; uint32_t basepri; uint32_t events; uint32_t event_options; };
struct kernel { struct thread *current; struct thread *cache; dnode runq; struct thread *idle; };
extern struct kernel _kernel;
extern dnode timeout_list;
struct k_sem { dnode wait_q; uint32_t count, limit; };
struct k_msgq { dnode wait_q; uint32_t msg_size, max_msgs; char *buffer_start, *buffer_end, *read_ptr, *write_ptr; uint32_t used_msgs; };
struct k_event { dnode wait_q; uint32_t events; };
struct device { const void *api; const void *config; void *data; };
struct isr_entry { const void *arg; void (*isr)(const void *); };

void k_sem_init(struct k_sem *, uint32_t, uint32_t);
int k_sem_take(struct k_sem *, int32_t);
void k_sem_give(struct k_sem *);
int k_msgq_put(struct k_msgq *, const void *, int32_t);
int k_msgq_get(struct k_msgq *, void *, int32_t);
void k_event_post(struct k_event *, uint32_t);
uint32_t k_event_wait_all(struct k_event *, uint32_t, bool, int32_t);
int32_t k_sleep(int32_t);
void sys_clock_isr(void);
void z_thread_timeout(struct timeout *);
void _isr_wrapper(void);
void z_arm_int_exit(void);
int mcux_mailbox_ipm_send(const struct device *, int, uint32_t, const void *, int);
void mcux_mailbox_isr(const struct device *);
int imx_mu_ipm_send(const struct device *, int, uint32_t, const void *, int);
void imx_mu_isr(const struct device *);
void platform_ipm_callback(const struct device *, void *, uint32_t, volatile void *);
void platform_notify(uint32_t);
void env_lock_mutex(void *);
void env_unlock_mutex(void *);

__attribute__((noinline)) void mark(void) { __asm volatile("" ::: "memory"); }
__attribute__((noinline)) void env_isr(uint32_t v) { (void)v; __asm volatile("" ::: "memory"); }

static void init_list(dnode *l) { l->next = l->prev = l; }
static void append(dnode *l, dnode *n) { n->prev = l->prev; n->next = l; l->prev->next = n; l->prev = n; }

static struct thread main_thread, idle_thread, other, waiter;
struct isr_entry _sw_isr_table[8];
static uint32_t mailbox_regs[8];
static uint32_t mu_regs[11];
static const struct { void *base; } mcux_cfg = { mailbox_regs }, imx_cfg = { mu_regs };
static struct { void (*cb)(const struct device *, void *, uint32_t, volatile void *); void *ctx; } drv_data = { platform_ipm_callback, 0 };
static const void *mcux_api = (const void *)mcux_mailbox_ipm_send;
static const void *imx_api = (const void *)imx_mu_ipm_send;
static const struct device mcux_dev = { &mcux_api, &mcux_cfg, &drv_data };
static const struct device imx_dev = { &imx_api, &imx_cfg, &drv_data };
const struct device *const ipm_handle = &mcux_dev;
static struct k_sem plock;
void *platform_lock = &plock;

static void set_ipsr(uint32_t v) { __asm volatile("mov r10, %0" ::"r"(v)); }

/* main runs; other (same priority) is ready; idle exists. */
static void reset(void)
{
	__asm volatile("mov r9, %0" ::"r"(0));
	set_ipsr(0);
	init_list(&_kernel.runq);
	init_list(&timeout_list);
	memset(&main_thread, 0, sizeof main_thread);
	memset(&other, 0, sizeof other);
	memset(&waiter, 0, sizeof waiter);
	main_thread.prio = 5; other.prio = 5; idle_thread.prio = 15; waiter.prio = 2;
	main_thread.state = 0x80; other.state = 0x80;
	append(&_kernel.runq, &main_thread.qnode);
	append(&_kernel.runq, &other.qnode);
	_kernel.current = &main_thread; _kernel.cache = &main_thread; _kernel.idle = &idle_thread;
}
/* waiter (higher priority) pends on list l. */
static void pend_waiter(dnode *l)
{
	waiter.state = 0x02; waiter.pended_on = l;
	append(l, &waiter.qnode);
}

struct msg { uint32_t src; void *data; uint32_t len; };
static char qbuf[4 * sizeof(struct msg)];
static struct msg m, out;

static void msgq_init(struct k_msgq *q, uint32_t used)
{
	init_list(&q->wait_q);
	q->msg_size = sizeof(struct msg); q->max_msgs = 4;
	q->buffer_start = qbuf; q->buffer_end = qbuf + sizeof qbuf;
	q->read_ptr = qbuf; q->write_ptr = qbuf + used * sizeof(struct msg); q->used_msgs = used;
}

static void noop_isr(const void *arg) { (void)arg; }

int main(void)
{
	struct k_sem s; struct k_msgq q; struct k_event e;
	/* 1 sem_take_fast */ reset(); k_sem_init(&s, 1, 10); mark(); k_sem_take(&s, -1); mark();
	/* 2 sem_take_block */ reset(); k_sem_init(&s, 0, 10); mark(); k_sem_take(&s, -1); mark();
	/* 3 sem_give */ reset(); k_sem_init(&s, 0, 10); mark(); k_sem_give(&s); mark();
	/* 4 sem_give_wake (thread: swap) */ reset(); k_sem_init(&s, 0, 10); pend_waiter(&s.wait_q); mark(); k_sem_give(&s); mark();
	/* 5 msgq_put (no receiver, ISR caller, timeout 0) */ reset(); set_ipsr(40); msgq_init(&q, 0); mark(); k_msgq_put(&q, &m, 0); mark();
	/* 6 msgq_put_wake (receiver waiting, ISR) */ reset(); set_ipsr(40); msgq_init(&q, 0); waiter.swap_data = &out; pend_waiter(&q.wait_q); mark(); k_msgq_put(&q, &m, 0); mark();
	/* 7 msgq_get (a message there) */ reset(); msgq_init(&q, 1); mark(); k_msgq_get(&q, &out, -1); mark();
	/* 8 msgq_get_block (empty, forever) */ reset(); msgq_init(&q, 0); mark(); k_msgq_get(&q, &out, -1); mark();
	/* 9 event_post (no waiter) */ reset(); init_list(&e.wait_q); e.events = 0; mark(); k_event_post(&e, 1); mark();
	/* 10 event_post_wake (ISR) */ reset(); set_ipsr(40); init_list(&e.wait_q); e.events = 0; waiter.events = 1; pend_waiter(&e.wait_q); mark(); k_event_post(&e, 1); mark();
	/* 11 event_wait (bit already set) */ reset(); init_list(&e.wait_q); e.events = 1; mark(); k_event_wait_all(&e, 1, false, -1); mark();
	/* 12 event_wait_block */ reset(); init_list(&e.wait_q); e.events = 0; mark(); k_event_wait_all(&e, 1, false, -1); mark();
	/* 13 sleep (1 tick, no other timeout) */ reset(); mark(); k_sleep(1); mark();
	/* 14 tick (nothing expires, time slice rotates main and other) */ reset(); set_ipsr(15); mark(); sys_clock_isr(); mark();
	/* 15 tick_unblock (one sleeper's timeout) */ reset(); set_ipsr(15); waiter.state = 0x04; waiter.to.fn = z_thread_timeout; waiter.to.dticks = 1; append(&timeout_list, &waiter.to.node); mark(); z_thread_timeout(&waiter.to); mark();
	/* 16 isr_wrapper around a no-op ISR, no switch */ reset(); set_ipsr(16 + 3); _sw_isr_table[3].isr = noop_isr; mark(); _isr_wrapper(); mark();
	/* 17 int_exit with a switch due */ reset(); set_ipsr(19); _kernel.cache = &other; mark(); z_arm_int_exit(); mark();
	/* 17b int_exit, nothing to switch */ reset(); set_ipsr(19); mark(); z_arm_int_exit(); mark();
	/* 18 mcux send */ reset(); { uint32_t d = 1; mark(); mcux_mailbox_ipm_send(&mcux_dev, 0, 0, &d, 4); mark(); }
	/* 19 mcux isr, bit 0, callback */ reset(); set_ipsr(47); mailbox_regs[0] = 1; mark(); mcux_mailbox_isr(&mcux_dev); mark();
	/* 20 imx send */ reset(); mu_regs[8] = 0x00f00000; { uint32_t d = 1; mark(); imx_mu_ipm_send(&imx_dev, 0, 0, &d, 4); mark(); }
	/* 21 imx isr */ reset(); set_ipsr(134); mu_regs[8] = 0x0f000000; mu_regs[4] = 1; mark(); imx_mu_isr(&imx_dev); mark();
	/* 22 platform_notify (lock free, mcux) */ reset(); k_sem_init(&plock, 1, 10); mark(); platform_notify(0); mark();
	/* 23 env_lock_mutex (free) */ reset(); k_sem_init(&s, 1, 10); mark(); env_lock_mutex(&s); mark();
	/* 24 env_unlock_mutex (no waiter) */ reset(); k_sem_init(&s, 0, 10); mark(); env_unlock_mutex(&s); mark();
	/* 25 env_lock_mutex in an ISR (skipped) */ reset(); set_ipsr(40); mark(); env_lock_mutex(&s); mark();
	return 0;
}

__attribute__((naked, noreturn)) void _start(void)
{
	__asm volatile("bl main\n movs r7, #1\n svc 0\n b .");
}

void *memcpy(void *d, const void *s, size_t n)
{
	char *dd = d; const char *ss = s;
	while (n--) *dd++ = *ss++;
	return d;
}
void *memset(void *d, int c, size_t n)
{
	char *dd = d;
	while (n--) *dd++ = (char)c;
	return d;
}
