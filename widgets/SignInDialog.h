#pragma once

#include <QDialog>
#include <QUrl>

class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;

namespace clusterra {

// "Continue in your browser": shown while the browser sign-in runs. Offers the link to copy
// when no browser opened, a Cancel button, and Try again after a failure.
class SignInDialog : public QDialog {
    Q_OBJECT
public:
    explicit SignInDialog(const QString &serverName, QWidget *parent = nullptr);

    void setWaiting();
    void setAuthorizationUrl(const QUrl &url, bool browserOpened);
    void setError(const QString &message);
    QString errorText() const;
    QString linkText() const;
    // Escape, the window's close button and Cancel all cancel the sign-in.
    void reject() override;

Q_SIGNALS:
    void cancelRequested();
    void retryRequested();

private:
    QLabel *m_status;
    QProgressBar *m_busy;
    QLabel *m_linkHint;
    QLineEdit *m_link;
    QPushButton *m_copy;
    QLabel *m_error;
    QPushButton *m_retry;
};

} // namespace clusterra
