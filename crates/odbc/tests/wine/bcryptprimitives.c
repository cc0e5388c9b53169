/*
 * Test support for running Windows builds under Wine 8.0 (Debian 12): Rust's standard library
 * (1.78 and later) takes its random numbers from ProcessPrng in bcryptprimitives.dll, which
 * that Wine lacks, so every Rust program stops at start. This stand-in answers ProcessPrng
 * from advapi32's RtlGenRandom (exported as SystemFunction036). It is copied into the test's
 * own Wine prefix only; nothing installs it on a real Windows, which has the real DLL.
 */
#include <windows.h>

typedef BOOLEAN(WINAPI *gen_random)(PVOID, ULONG);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    static gen_random fill;
    if (!fill) {
        HMODULE advapi = LoadLibraryA("advapi32.dll");
        if (!advapi)
            return FALSE;
        fill = (gen_random)(void *)GetProcAddress(advapi, "SystemFunction036");
        if (!fill)
            return FALSE;
    }
    while (length > 0) {
        ULONG chunk = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!fill(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
