/*
 * What the libFuzzer targets share: the importers read files by name, so
 * an input (or a setup file) is handed to them as a memory file.
 */
#ifndef CS_FUZZ_H
#define CS_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Writes n bytes of text to a memory file, puts its path in buf and
 * returns its descriptor, which the caller closes. */
static inline int memfile(const void *text, size_t n, char *buf, size_t cap)
{
	int fd = memfd_create("fuzz", 0);
	if (fd < 0 || (n && write(fd, text, n) != (ssize_t)n))
		abort();
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
	return fd;
}

#endif
