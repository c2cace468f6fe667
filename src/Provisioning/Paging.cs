using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;

namespace HostedPbx.Provisioning;

/// <summary>A page of a list; lists are paged in the database.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

/// <summary>Paging parameters from the query string: <c>?page=1&amp;pageSize=50</c> (at most 200).</summary>
public sealed record PageRequest(
    [property: Range(1, 100000, ErrorMessage = "page must be between 1 and 100000.")] int Page = 1,
    [property: Range(1, 200, ErrorMessage = "pageSize must be between 1 and 200.")] int PageSize = 50)
{
    public async Task<Page<T>> ToPageAsync<T>(IQueryable<T> ordered, CancellationToken cancellationToken) => new(
        await ordered.Skip((Page - 1) * PageSize).Take(PageSize).ToListAsync(cancellationToken), Page, PageSize,
        await ordered.CountAsync(cancellationToken));
}
