/*
 * The virtio core's negotiation against a scripted device (a transport
 * of plain variables): legacy-only devices are refused and marked FAILED,
 * a device that drops FEATURES_OK is refused, required features are
 * checked, and only the wanted bits are accepted.
 */
#include <drivers/virtio.h>
#include <ktest.h>
#include <lib/err.h>
#include <string.h>

struct fake {
	uint8_t status;
	uint64_t offered, accepted;
	bool refuse_features; /* FEATURES_OK never sticks */
	unsigned resets;
};

static struct fake *fk(struct virtio_dev *d)
{
	return d->priv_transport;
}

static uint8_t f_get_status(struct virtio_dev *d)
{
	return fk(d)->status;
}

static int f_set_status(struct virtio_dev *d, uint8_t s)
{
	if (!s)
		fk(d)->resets++;
	if (fk(d)->refuse_features)
		s &= (uint8_t)~VIRTIO_STATUS_FEATURES_OK;
	fk(d)->status = s;
	return 0;
}

static uint64_t f_get_features(struct virtio_dev *d)
{
	return fk(d)->offered;
}

static void f_set_features(struct virtio_dev *d, uint64_t f)
{
	fk(d)->accepted = f;
}

static uint32_t f_zero32(struct virtio_dev *d, unsigned off)
{
	(void)d;
	(void)off;
	return 0;
}

static uint32_t f_gen(struct virtio_dev *d)
{
	(void)d;
	return 0;
}

static unsigned f_queue_max(struct virtio_dev *d, unsigned q)
{
	(void)d;
	(void)q;
	return 0;
}

static int f_queue_enable(struct virtio_dev *d, unsigned q, unsigned size,
			  uint64_t desc, uint64_t avail, uint64_t used)
{
	(void)d, (void)q, (void)size, (void)desc, (void)avail, (void)used;
	return -EIO;
}

static void f_notify(struct virtio_dev *d, unsigned q)
{
	(void)d;
	(void)q;
}

static unsigned f_ack(struct virtio_dev *d)
{
	(void)d;
	return 0;
}

static const struct virtio_transport fake_transport = {
	"fake",		f_get_status, f_set_status, f_get_features,
	f_set_features, f_zero32,     f_gen,	    f_queue_max,
	f_queue_enable, f_notify,     f_ack,
};

static void fake_dev(struct virtio_dev *d, struct fake *f, uint64_t offered)
{
	memset(d, 0, sizeof(*d));
	memset(f, 0, sizeof(*f));
	f->offered = offered;
	f->status = VIRTIO_STATUS_DRIVER_OK; /* left over from a firmware */
	d->t = &fake_transport;
	d->priv_transport = f;
	strlcpy(d->where, "fake", sizeof(d->where));
}

#define V1 (1ull << VIRTIO_F_VERSION_1)

KTEST(virtio, legacy_only_device_is_refused_and_failed)
{
	struct virtio_dev d;
	struct fake f;
	fake_dev(&d, &f, 0x3ull << 5); /* device bits, no VERSION_1 */

	KT_EXPECT_EQ(t, virtio_dev_begin(&d, ~0ull, 0), -ENODEV);
	KT_EXPECT(t, f.status & VIRTIO_STATUS_FAILED);
	KT_EXPECT(t, !(f.status & VIRTIO_STATUS_FEATURES_OK));
	KT_EXPECT_EQ(t, f.resets, 1);
	KT_EXPECT(t, virtio_dev_broken(&d));
}

KTEST(virtio, only_wanted_features_are_accepted)
{
	struct virtio_dev d;
	struct fake f;
	fake_dev(&d, &f, V1 | 1u << 9 | 1u << 5 | 1u << 28);

	KT_EXPECT_EQ(t, virtio_dev_begin(&d, 1u << 9, 0), 0);
	KT_EXPECT_EQ(t, f.accepted, V1 | 1u << 9);
	KT_EXPECT_EQ(t, d.features, V1 | 1u << 9);
	KT_EXPECT(t, virtio_has(&d, 9) && !virtio_has(&d, 5));
	KT_EXPECT(t, f.status & VIRTIO_STATUS_FEATURES_OK);
	KT_EXPECT(t, !virtio_dev_broken(&d));
}

KTEST(virtio, missing_required_feature_or_refused_set_is_enodev)
{
	struct virtio_dev d;
	struct fake f;
	fake_dev(&d, &f, V1);
	KT_EXPECT_EQ(t, virtio_dev_begin(&d, 0, 1u << 9), -ENODEV);
	KT_EXPECT(t, f.status & VIRTIO_STATUS_FAILED);

	fake_dev(&d, &f, V1 | 1u << 9);
	f.refuse_features = true;
	KT_EXPECT_EQ(t, virtio_dev_begin(&d, 1u << 9, 0), -ENODEV);
	KT_EXPECT(t, f.status & VIRTIO_STATUS_FAILED);
}
