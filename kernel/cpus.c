/*
 * The record of the CPUs found at boot (<kernel/cpus.h>).
 */
#include <kernel/cpus.h>
#include <kernel/printk.h>

static struct cpu_record kcpus = {
	.cpu = {{0, 0, true, true}},
	.n = 1,
	.source = "none: one CPU assumed",
};

void cpu_record_fill(struct cpu_record *r, const struct cpu_scan *s,
		     const char *why)
{
	unsigned boot = 0, n = 0;

	r->ignored = 0;
	r->note = why;
	if (!s || s->ncpus == 0) {
		r->cpu[0] = (struct cpu_info){0, 0, true, true};
		r->n = 1;
		r->source = "none: one CPU assumed";
		return;
	}
	for (unsigned i = 0; i < s->ncpus; i++)
		if (s->flags[i] & CPU_SCAN_BOOT)
			boot = i;
	/* The boot CPU first, then the others in table order. */
	r->cpu[n++] = (struct cpu_info){0, s->hw_id[boot], true, true};
	for (unsigned i = 0; i < s->ncpus; i++) {
		if (i == boot)
			continue;
		if (n == CONFIG_NR_CPUS) {
			r->ignored++;
			continue;
		}
		r->cpu[n] = (struct cpu_info){n, s->hw_id[i], true, false};
		n++;
	}
	r->ignored += s->beyond;
	r->n = n;
	r->source = s->source ? s->source : "firmware";
	r->note = s->error ? s->error : why;
}

void cpus_record(const struct cpu_scan *s, const char *why)
{
	cpu_record_fill(&kcpus, s, why);
}

unsigned cpus_found(void)
{
	return kcpus.n;
}

unsigned cpus_ignored(void)
{
	return kcpus.ignored;
}

unsigned cpus_started(void)
{
	unsigned k = 0;
	for (unsigned i = 0; i < kcpus.n; i++)
		k += kcpus.cpu[i].started;
	return k;
}

void cpus_mark_started(unsigned i)
{
	if (i < kcpus.n)
		kcpus.cpu[i].started = true;
}

const struct cpu_info *cpu_get(unsigned i)
{
	return i < kcpus.n ? &kcpus.cpu[i] : NULL;
}

const char *cpus_source(void)
{
	return kcpus.source;
}

const char *cpus_note(void)
{
	return kcpus.note;
}

void cpus_print_summary(void)
{
	printk("cpus: %u found (%s), %u started: %s\n", kcpus.n, kcpus.source,
	       cpus_started(),
#ifdef CONFIG_SMP
	       "SMP built in: the others start once the scheduler runs"
#else
	       "SMP not built in"
#endif
	);
	if (kcpus.ignored)
		printk("cpus: %u more beyond NR_CPUS=%d ignored\n",
		       kcpus.ignored, CONFIG_NR_CPUS);
	if (kcpus.note)
		printk("cpus: note: %s\n", kcpus.note);
}
