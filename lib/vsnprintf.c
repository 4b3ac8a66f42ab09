/*
 * vsnprintf: C's integer, character, string and pointer formats.
 *
 * Output goes through a small sink that counts every character but stores
 * only what fits, so the return value is always the untruncated length, as C
 * requires. No floating point: the kernel proper is built without FPU use.
 */
#include <lib/printf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct sink {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct sink *s, char c)
{
	if (s->len + 1 < s->size)
		s->buf[s->len] = c;
	s->len++;
}

static void put_repeat(struct sink *s, char c, int n)
{
	while (n-- > 0)
		put(s, c);
}

struct spec {
	bool left, zero, plus, space, alt;
	int width;     /* -1: none */
	int precision; /* -1: none */
	char length;   /* 'H' hh, 'h', 'l', 'L' ll, 'z', 'j', 't', 0 */
};

static void put_padded(struct sink *s, const struct spec *sp, const char *str,
		       int len)
{
	int pad = sp->width > len ? sp->width - len : 0;

	if (!sp->left)
		put_repeat(s, ' ', pad);
	for (int i = 0; i < len; i++)
		put(s, str[i]);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

static void put_number(struct sink *s, const struct spec *sp, uintmax_t value,
		       bool negative, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24]; /* 2^64 in octal: 22 digits */
	int n = 0;

	/* C: a zero value with precision 0 prints no digits. */
	if (!(value == 0 && sp->precision == 0)) {
		do {
			tmp[n++] = digits[value % base];
			value /= base;
		} while (value);
	}

	const char *prefix = "";
	if (negative)
		prefix = "-";
	else if (sp->plus && base == 10)
		prefix = "+";
	else if (sp->space && base == 10)
		prefix = " ";
	else if (sp->alt && base == 16 && n > 0 && !(n == 1 && tmp[0] == '0'))
		prefix = upper ? "0X" : "0x";
	else if (sp->alt && base == 8 && (n == 0 || tmp[n - 1] != '0'))
		prefix = "0";

	int prefix_len = (int)strlen(prefix);
	int zeros = sp->precision > n ? sp->precision - n : 0;
	int body = prefix_len + zeros + n;
	int pad = sp->width > body ? sp->width - body : 0;

	/* The 0 flag pads with zeros after the sign, unless a precision is
	 * given or the field is left-justified. */
	if (sp->zero && !sp->left && sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left)
		put_repeat(s, ' ', pad);
	for (int i = 0; i < prefix_len; i++)
		put(s, prefix[i]);
	put_repeat(s, '0', zeros);
	while (n > 0)
		put(s, tmp[--n]);
	if (sp->left)
		put_repeat(s, ' ', pad);
}

static uintmax_t arg_unsigned(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (unsigned char)va_arg(*ap, unsigned);
	case 'h': return (unsigned short)va_arg(*ap, unsigned);
	case 'l': return va_arg(*ap, unsigned long);
	case 'L': return va_arg(*ap, unsigned long long);
	case 'z': return va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, uintmax_t);
	case 't': return (uintmax_t)va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, unsigned);
	}
}

static intmax_t arg_signed(const struct spec *sp, va_list *ap)
{
	switch (sp->length) {
	case 'H': return (signed char)va_arg(*ap, int);
	case 'h': return (short)va_arg(*ap, int);
	case 'l': return va_arg(*ap, long);
	case 'L': return va_arg(*ap, long long);
	case 'z': return (intmax_t)va_arg(*ap, size_t);
	case 'j': return va_arg(*ap, intmax_t);
	case 't': return va_arg(*ap, ptrdiff_t);
	default: return va_arg(*ap, int);
	}
}

static const char *parse_spec(const char *f, struct spec *sp, va_list *ap)
{
	*sp = (struct spec){.width = -1, .precision = -1};

	for (;; f++) {
		if (*f == '-')
			sp->left = true;
		else if (*f == '0')
			sp->zero = true;
		else if (*f == '+')
			sp->plus = true;
		else if (*f == ' ')
			sp->space = true;
		else if (*f == '#')
			sp->alt = true;
		else
			break;
	}
	if (*f == '*') {
		sp->width = va_arg(*ap, int);
		if (sp->width < 0) {
			sp->left = true;
			sp->width = -sp->width;
		}
		f++;
	} else if (*f >= '0' && *f <= '9') {
		sp->width = 0;
		while (*f >= '0' && *f <= '9')
			sp->width = sp->width * 10 + (*f++ - '0');
	}
	if (*f == '.') {
		f++;
		sp->precision = 0;
		if (*f == '*') {
			sp->precision = va_arg(*ap, int);
			if (sp->precision < 0)
				sp->precision = -1;
			f++;
		} else {
			while (*f >= '0' && *f <= '9')
				sp->precision =
					sp->precision * 10 + (*f++ - '0');
		}
	}
	if (f[0] == 'h' && f[1] == 'h') {
		sp->length = 'H';
		f += 2;
	} else if (f[0] == 'l' && f[1] == 'l') {
		sp->length = 'L';
		f += 2;
	} else if (*f == 'h' || *f == 'l' || *f == 'z' || *f == 'j' ||
		   *f == 't') {
		sp->length = *f++;
	}
	return f;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap_in)
{
	struct sink s = {buf, size, 0};
	va_list ap;

	va_copy(ap, ap_in);
	while (*fmt) {
		if (*fmt != '%') {
			put(&s, *fmt++);
			continue;
		}
		fmt++;
		struct spec sp;
		fmt = parse_spec(fmt, &sp, &ap);
		char conv = *fmt ? *fmt++ : '\0';

		switch (conv) {
		case 'd':
		case 'i': {
			intmax_t v = arg_signed(&sp, &ap);
			uintmax_t mag = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
			put_number(&s, &sp, mag, v < 0, 10, false);
			break;
		}
		case 'u':
			put_number(&s, &sp, arg_unsigned(&sp, &ap), false, 10,
				   false);
			break;
		case 'x':
		case 'X':
			put_number(&s, &sp, arg_unsigned(&sp, &ap), false, 16,
				   conv == 'X');
			break;
		case 'o':
			put_number(&s, &sp, arg_unsigned(&sp, &ap), false, 8,
				   false);
			break;
		case 'p': {
			/* Pointers print as 0x plus full-width hex, so columns
			 * of addresses line up. */
			uintptr_t v = (uintptr_t)va_arg(ap, void *);
			struct spec ps = {.alt = false,
					  .width = -1,
					  .precision = (int)sizeof(void *) * 2};
			put(&s, '0');
			put(&s, 'x');
			put_number(&s, &ps, v, false, 16, false);
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);
			put_padded(&s, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			if (!str)
				str = "(null)";
			size_t len =
				sp.precision >= 0
					? strnlen(str, (size_t)sp.precision)
					: strlen(str);
			put_padded(&s, &sp, str, (int)len);
			break;
		}
		case '%': put(&s, '%'); break;
		case '\0': put(&s, '%'); break;
		default:
			/* Unknown conversion: show it rather than guess. */
			put(&s, '%');
			put(&s, conv);
			break;
		}
	}
	va_end(ap);
	if (size > 0)
		buf[s.len < size ? s.len : size - 1] = '\0';
	return (int)s.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
