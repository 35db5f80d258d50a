/*
 * Secrets, through libsodium: random tokens, SHA-256, constant-time
 * comparison, and passwords hashed with Argon2id.  secret_init() must run
 * once before any of them (it is safe to call more than once).
 */
#ifndef CS_SECRET_H
#define CS_SECRET_H

#include <stddef.h>
#include <stdint.h>

#define SECRET_TOKEN 32        /* bytes of a session or API token */
#define SECRET_SHA256 32       /* bytes of a SHA-256 digest */
#define SECRET_PASSWORD_MAX 128 /* bytes of an Argon2id string */

/* Returns CS_OK, or CS_EINTERNAL when libsodium cannot start. */
int secret_init(void);
/* Fills buf with n unpredictable bytes. */
void secret_random(void *buf, size_t n);
/* out = SHA-256 of the n bytes at data. */
void secret_sha256(uint8_t out[SECRET_SHA256], const void *data, size_t n);
/* Nonzero when the n bytes at a and b are equal; time independent of
 * where they differ. */
int secret_equal(const void *a, const void *b, size_t n);
/* Writes the n bytes at data as 2n lower-case hex digits and a NUL into
 * out (2n + 1 bytes). */
void secret_hex(char *out, const void *data, size_t n);
/* Reads 2n hex digits into n bytes; 0 on success, -1 when z is not that. */
int secret_unhex(uint8_t *out, size_t n, const char *z);

/*
 * Hashes password with Argon2id (libsodium's interactive limits) into out,
 * a NUL-terminated string of at most SECRET_PASSWORD_MAX bytes.  Returns
 * CS_OK or CS_ENOMEM.
 */
int secret_password_hash(char out[SECRET_PASSWORD_MAX], const char *password);
/* Nonzero when password matches the stored Argon2id string. */
int secret_password_check(const char *stored, const char *password);

#endif
