/*
 * Secrets through libsodium (see secret.h): the project's one place for
 * randomness, digests and password hashing, so none of it is home-made.
 */
#include "core/secret.h"

#include <sodium.h>
#include <string.h>

#include "core/err.h"

int secret_init(void)
{
	return sodium_init() < 0 ? cs_errorf(CS_EINTERNAL,
					     "libsodium cannot start")
				 : CS_OK;
}

void secret_random(void *buf, size_t n)
{
	randombytes_buf(buf, n);
}

void secret_sha256(uint8_t out[SECRET_SHA256], const void *data, size_t n)
{
	crypto_hash_sha256(out, data, n);
}

int secret_equal(const void *a, const void *b, size_t n)
{
	return sodium_memcmp(a, b, n) == 0;
}

void secret_hex(char *out, const void *data, size_t n)
{
	sodium_bin2hex(out, 2 * n + 1, data, n);
}

int secret_unhex(uint8_t *out, size_t n, const char *z)
{
	size_t got;
	if (strlen(z) != 2 * n ||
	    sodium_hex2bin(out, n, z, 2 * n, NULL, &got, NULL) || got != n)
		return -1;
	return 0;
}

int secret_password_hash(char out[SECRET_PASSWORD_MAX], const char *password)
{
	_Static_assert(SECRET_PASSWORD_MAX >= crypto_pwhash_STRBYTES,
		       "room for an Argon2id string");
	if (crypto_pwhash_str_alg(out, password, strlen(password),
				  crypto_pwhash_OPSLIMIT_INTERACTIVE,
				  crypto_pwhash_MEMLIMIT_INTERACTIVE,
				  crypto_pwhash_ALG_ARGON2ID13))
		return cs_errorf(CS_ENOMEM, "no memory to hash a password");
	return CS_OK;
}

int secret_password_check(const char *stored, const char *password)
{
	return crypto_pwhash_str_verify(stored, password, strlen(password)) ==
	       0;
}
