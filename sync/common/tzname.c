/* tzname.c — zone name and tzdata file checks (tzname.h). */
#include "tzname.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits.h"

int pr_tz_name_ok(const char *zone)
{
	size_t n = zone ? strnlen(zone, PR_TZ_MAX) : 0;

	if (n == 0 || n >= PR_TZ_MAX || zone[0] == '/' || strstr(zone, "..") != NULL)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = zone[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
}

int pr_tz_file_ok(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PR_PATH_MAX], magic[4];
	struct stat st;
	int n, fd, ok = 0;

	if (dir == NULL || dir[0] == '\0')
		dir = PR_TZ_ZONEINFO_DIR;
	n = snprintf(path, sizeof(path), "%s/%s", dir, zone);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	/* a regular file that starts like tzdata, not a folder */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    read(fd, magic, sizeof(magic)) == (ssize_t)sizeof(magic) &&
	    memcmp(magic, "TZif", sizeof(magic)) == 0)
		ok = 1;
	close(fd);
	return ok;
}
