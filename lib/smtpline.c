/* smtpline.c - see smtpline.h. */
#include "smtpline.h"

int smtp_reply_line(const char *line, size_t len, bool *more)
{
	*more = false;
	for (size_t i = 0; i < 3; i++)
		if (i >= len || line[i] < '0' || line[i] > '9')
			return -1;
	if (len > 3 && line[3] != ' ' && line[3] != '-')
		return -1;
	*more = len > 3 && line[3] == '-';
	return (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
}
