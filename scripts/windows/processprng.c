/* bcryptprimitives.dll for Wine 8, which lacks ProcessPrng: Go 1.24 and
 * later read their random numbers through it and do not start without it.
 * It answers from RtlGenRandom (advapi32's SystemFunction036), which Wine
 * has. make test-windows builds it into its Wine prefix; hop never ships it. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
